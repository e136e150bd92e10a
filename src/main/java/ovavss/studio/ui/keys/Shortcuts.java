package ovavss.studio.ui.keys;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.prefs.BackingStoreException;
import java.util.prefs.Preferences;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javafx.beans.Observable;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.scene.Scene;
import javafx.scene.control.ComboBoxBase;
import javafx.scene.control.MenuItem;
import javafx.scene.control.TextInputControl;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry of keyboard shortcuts: every action has an id, a description, a group for the
 * cheat sheet and one key combination. Defaults follow CVAT / Label Studio habits where they
 * exist (N new object, Tab cycles, Ctrl+Z / Ctrl+Shift+Z, [ and ] brush size, F1 help); the user's
 * rebindings live in {@link Preferences} under the action id.
 *
 * <p>One combination per action and one action per combination: {@link #rebind} refuses a
 * combination another action already has and names it, so the user can free it first.
 *
 * <p>Everything that names keys reads them here: menu items bind their accelerator with
 * {@link #bindAccelerator}, tooltips and help texts use {@link #hint} templates such as
 * {@code "Undo ({undo})"}, and the cheat sheet shows {@link #displayProperty}; all follow a
 * rebinding at once. Actions that only a menu item performs (open, quit, analyse) have no
 * handler here: the menu item's accelerator runs them.
 */
public final class Shortcuts {
    private static final Logger LOG = LoggerFactory.getLogger(Shortcuts.class);

    /**
     * One bindable action.
     *
     * @param alternateKeys fixed second keys (e.g. Page Down beside "."), or null; not rebindable
     */
    public record Action(String id, String group, String description, String defaultKeys, String alternateKeys) {
        public Action {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(defaultKeys, "defaultKeys");
        }

        public Action(String id, String group, String description, String defaultKeys) {
            this(id, group, description, defaultKeys, null);
        }
    }

    /** The result of a rebinding: ok, or the action that already holds the combination. */
    public record Rebind(boolean ok, Action conflict, String message) {
    }

    private final Map<String, Action> actions = new LinkedHashMap<>();
    /** Current keys of each action; observable so menus, tooltips and the cheat sheet follow a rebinding. */
    private final Map<String, ReadOnlyObjectWrapper<KeyCombination>> bindings = new HashMap<>();
    private final Map<String, ReadOnlyStringWrapper> displays = new HashMap<>();
    private final Map<String, Runnable> handlers = new HashMap<>();

    /** A registry holding {@link #defaults()}. */
    public Shortcuts() {
        this(defaults());
    }

    public Shortcuts(List<Action> list) {
        for (Action a : list) {
            if (actions.put(a.id(), a) != null) {
                throw new IllegalArgumentException("two actions with id " + a.id());
            }
            bindings.put(a.id(), new ReadOnlyObjectWrapper<>(this, a.id()));
            displays.put(a.id(), new ReadOnlyStringWrapper(this, a.id() + ".display"));
            set(a.id(), KeyCombination.valueOf(a.defaultKeys()));
        }
        List<List<Action>> clashes = conflicts();
        if (!clashes.isEmpty()) {
            throw new IllegalArgumentException("default shortcuts clash: " + clashes);
        }
    }

    /** Every action of the studio with its default keys. */
    public static List<Action> defaults() {
        List<Action> a = new ArrayList<>();
        String play = "Playback";
        a.add(new Action("play", play, "Play / pause", "Space"));
        a.add(new Action("frame.next", play, "Next frame", "Right"));
        a.add(new Action("frame.previous", play, "Previous frame", "Left"));
        a.add(new Action("second.next", play, "Forward 1 s", "Shift+Right"));
        a.add(new Action("second.previous", play, "Back 1 s", "Shift+Left"));
        a.add(new Action("keyframe.next", play, "Next keyframe", "Period", "Page Down"));
        a.add(new Action("keyframe.previous", play, "Previous keyframe", "Comma", "Page Up"));
        a.add(new Action("suggestion.next", play, "Next audio suggestion (onset/offset)", "Shift+Period"));
        a.add(new Action("suggestion.previous", play, "Previous audio suggestion", "Shift+Comma"));
        a.add(new Action("home", play, "First frame", "Home"));
        a.add(new Action("end", play, "Last frame", "End"));
        a.add(new Action("loop", play, "Loop the selection", "L"));
        a.add(new Action("zoom.in", play, "Zoom the timeline in", "Equals", "Add"));
        a.add(new Action("zoom.out", play, "Zoom the timeline out", "Minus", "Subtract"));
        a.add(new Action("view.fit", play, "Fit the video (undo wheel zoom; middle or Alt+drag pans)", "Shortcut+0"));
        String tools = "Tools";
        a.add(new Action("tool.select", tools, "Select tool (click an object)", "V"));
        a.add(new Action("tool.brush", tools, "Brush", "B"));
        a.add(new Action("tool.eraser", tools, "Eraser", "E"));
        a.add(new Action("tool.polygon", tools, "Polygon (click points)", "P"));
        a.add(new Action("tool.fill", tools, "Fill a hole of the object", "F"));
        a.add(new Action("brush.smaller", tools, "Smaller brush", "Open Bracket"));
        a.add(new Action("brush.larger", tools, "Larger brush", "Close Bracket"));
        a.add(new Action("polygon.close", tools, "Close the polygon", "Enter"));
        a.add(new Action("polygon.removePoint", tools, "Remove the last polygon point", "Backspace"));
        a.add(new Action("polygon.cancel", tools, "Cancel the polygon", "Esc"));
        String objects = "Objects";
        a.add(new Action("object.new", objects, "New object", "N"));
        a.add(new Action("object.next", objects, "Next object", "Tab"));
        a.add(new Action("object.previous", objects, "Previous object", "Shift+Tab"));
        a.add(new Action("object.delete", objects, "Delete the object", "Delete"));
        a.add(new Action("object.clear", objects, "Clear the object on this keyframe", "X"));
        a.add(new Action("object.label", objects, "Change the object's label", "Shortcut+L"));
        a.add(new Action("object.grow", objects, "Grow the mask by 1 px", "G"));
        a.add(new Action("object.shrink", objects, "Shrink the mask by 1 px", "Shift+G"));
        a.add(new Action("object.copyPrevious", objects, "Copy the mask from the previous keyframe", "C"));
        a.add(new Action("object.copyNext", objects, "Copy the mask from the next keyframe", "Shift+C"));
        a.add(new Action("object.merge", objects, "Merge the object into the one selected before", "Shortcut+M"));
        a.add(new Action("object.propagate", objects,
                "Propagate the mask over the selected time range (else to the next keyframe)", "Shift+P"));
        a.add(new Action("sound.toggle", objects, "Toggle sounding / silent on this keyframe", "S"));
        String review = "Review";
        a.add(new Action("prediction.accept", review, "Accept the prediction (object, or all on the keyframe)", "A"));
        a.add(new Action("prediction.reject", review, "Reject the prediction", "R"));
        a.add(new Action("keyframe.reviewed", review, "Mark the keyframe reviewed", "M"));
        a.add(new Action("review.diff", review, "Show the prediction/annotation diff", "D"));
        String edit = "Edit";
        a.add(new Action("undo", edit, "Undo", "Shortcut+Z"));
        a.add(new Action("redo", edit, "Redo (also Ctrl+Y)", "Shortcut+Shift+Z", "Shortcut+Y"));
        a.add(new Action("help", edit, "Keyboard shortcuts (this sheet)", "F1"));
        String file = "File";
        a.add(new Action("file.open", file, "Open media", "Shortcut+O"));
        a.add(new Action("file.openClip", file, "Open an AVSBench clip folder", "Shortcut+Shift+O"));
        a.add(new Action("project.saveAs", file, "Save the project as", "Shortcut+Shift+S"));
        a.add(new Action("file.quit", file, "Quit", "Shortcut+Q"));
        a.add(new Action("analyse", "Model", "Analyse the clip (or the selected range)", "Shortcut+Shift+A"));
        return a;
    }

    public List<Action> actions() {
        return List.copyOf(actions.values());
    }

    public Optional<Action> action(String id) {
        return Optional.ofNullable(actions.get(id));
    }

    /** The current combination of an action. */
    public KeyCombination keys(String id) {
        return keysProperty(id).get();
    }

    /** The current combination of an action, observable. */
    public ReadOnlyObjectProperty<KeyCombination> keysProperty(String id) {
        ReadOnlyObjectWrapper<KeyCombination> k = bindings.get(id);
        if (k == null) {
            throw new IllegalArgumentException("no action " + id);
        }
        return k.getReadOnlyProperty();
    }

    /** The keys as the user reads them ("Ctrl+Shift+Z", "Period / Page Down"). */
    public String display(String id) {
        return displayProperty(id).get();
    }

    /** {@link #display} as an observable value. */
    public ReadOnlyStringProperty displayProperty(String id) {
        ReadOnlyStringWrapper d = displays.get(id);
        if (d == null) {
            throw new IllegalArgumentException("no action " + id);
        }
        return d.getReadOnlyProperty();
    }

    private void set(String id, KeyCombination keys) {
        bindings.get(id).set(keys);
        String alt = actions.get(id).alternateKeys();
        displays.get(id).set(keys.getDisplayText()
                + (alt == null ? "" : " / " + KeyCombination.valueOf(alt).getDisplayText()));
    }

    // ------------------------------------------------------------------ texts that name keys

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z0-9.]+)}");

    /**
     * {@code template} with every {@code {action.id}} replaced by that action's keys, kept up to
     * date: {@code hint("Undo ({undo})")} reads "Undo (Ctrl+Z)" until undo is rebound.
     *
     * @throws IllegalArgumentException when the template names an unknown action
     */
    public StringBinding hint(String template) {
        List<Observable> deps = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(template);
        while (m.find()) {
            deps.add(displayProperty(m.group(1)));
        }
        return Bindings.createStringBinding(() -> format(template), deps.toArray(Observable[]::new));
    }

    /** {@code template} with every {@code {action.id}} replaced by that action's keys now (see {@link #hint}). */
    public String format(String template) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, Matcher.quoteReplacement(display(m.group(1))));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** A tooltip whose text is {@link #hint}{@code (template)}. */
    public Tooltip tooltip(String template) {
        Tooltip t = new Tooltip();
        t.textProperty().bind(hint(template));
        return t;
    }

    /** Shows (and follows) the action's keys as the menu item's accelerator. */
    public void bindAccelerator(MenuItem item, String id) {
        item.acceleratorProperty().bind(keysProperty(id));
    }

    /**
     * Binds {@code id} to {@code keys} unless another action has them.
     *
     * @return ok, or the conflicting action (nothing changes then)
     */
    public Rebind rebind(String id, KeyCombination keys) {
        Action a = actions.get(id);
        if (a == null) {
            throw new IllegalArgumentException("no action " + id);
        }
        for (Map.Entry<String, ReadOnlyObjectWrapper<KeyCombination>> e : bindings.entrySet()) {
            if (!e.getKey().equals(id) && same(e.getValue().get(), keys)) {
                Action other = actions.get(e.getKey());
                return new Rebind(false, other, keys.getDisplayText() + " is already \"" + other.description()
                        + "\"; give that action other keys first");
            }
        }
        for (Action other : actions.values()) {
            if (other.alternateKeys() != null && same(KeyCombination.valueOf(other.alternateKeys()), keys)) {
                return new Rebind(false, other, keys.getDisplayText() + " is already \"" + other.description()
                        + "\" (fixed second keys)");
            }
        }
        set(id, keys);
        return new Rebind(true, null, a.description() + ": " + keys.getDisplayText());
    }

    /** Restores every default binding. */
    public void resetAll() {
        for (Action a : actions.values()) {
            set(a.id(), KeyCombination.valueOf(a.defaultKeys()));
        }
    }

    /** Groups of actions sharing a combination (empty when consistent). */
    public List<List<Action>> conflicts() {
        Map<String, List<Action>> byKeys = new LinkedHashMap<>();
        for (Action a : actions.values()) {
            byKeys.computeIfAbsent(keys(a.id()).getName(), k -> new ArrayList<>()).add(a);
            if (a.alternateKeys() != null) {
                byKeys.computeIfAbsent(KeyCombination.valueOf(a.alternateKeys()).getName(), k -> new ArrayList<>()).add(a);
            }
        }
        List<List<Action>> out = new ArrayList<>();
        for (List<Action> l : byKeys.values()) {
            if (l.size() > 1) {
                out.add(l);
            }
        }
        return out;
    }

    private static boolean same(KeyCombination a, KeyCombination b) {
        return a.getName().equals(b.getName());
    }

    // ------------------------------------------------------------------ persistence

    /** The preferences node of the app's shortcuts. */
    public static Preferences node() {
        return Preferences.userRoot().node("ovavss/studio/shortcuts");
    }

    /** Stores the bindings that differ from the defaults (and removes the others). */
    public void save(Preferences prefs) {
        for (Action a : actions.values()) {
            String cur = keys(a.id()).getName();
            if (cur.equals(KeyCombination.valueOf(a.defaultKeys()).getName())) {
                prefs.remove(a.id());
            } else {
                prefs.put(a.id(), cur);
            }
        }
        try {
            prefs.flush();
        } catch (BackingStoreException e) {
            LOG.warn("could not store shortcuts: {}", e.toString());
        }
    }

    /**
     * Applies stored bindings over the defaults. Unreadable or clashing entries are skipped (the
     * default stays), so a bad preferences file can't leave an action without keys.
     */
    public void load(Preferences prefs) {
        for (Action a : actions.values()) {
            String v = prefs.get(a.id(), null);
            if (v == null) {
                continue;
            }
            try {
                Rebind r = rebind(a.id(), KeyCombination.valueOf(v));
                if (!r.ok()) {
                    LOG.warn("stored shortcut for {} skipped: {}", a.id(), r.message());
                }
            } catch (IllegalArgumentException e) {
                LOG.warn("stored shortcut for {} is unreadable: {}", a.id(), v);
            }
        }
    }

    // ------------------------------------------------------------------ dispatch

    /** What an action does; actions without a handler are listed but do nothing. */
    public void on(String id, Runnable handler) {
        if (!actions.containsKey(id)) {
            throw new IllegalArgumentException("no action " + id);
        }
        handlers.put(id, handler);
    }

    public boolean hasHandler(String id) {
        return handlers.containsKey(id);
    }

    /** The action whose keys match the event, if any. */
    public Optional<Action> match(KeyEvent e) {
        for (Action a : actions.values()) {
            if (keys(a.id()).match(e)
                    || (a.alternateKeys() != null && KeyCombination.valueOf(a.alternateKeys()).match(e))) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /**
     * Runs the action of a key press; text fields keep their plain keys.
     *
     * @return true when an action ran (the caller consumes the event)
     */
    public boolean dispatch(KeyEvent e) {
        Optional<Action> a = match(e);
        if (a.isEmpty()) {
            return false;
        }
        KeyCombination k = keys(a.get().id());
        boolean plain = k.getShortcut() == KeyCombination.ModifierValue.UP && k.getControl() == KeyCombination.ModifierValue.UP
                && k.getAlt() == KeyCombination.ModifierValue.UP && k.getMeta() == KeyCombination.ModifierValue.UP;
        if (plain && typing(e) && !"help".equals(a.get().id())) {
            return false;
        }
        Runnable r = handlers.get(a.get().id());
        if (r == null) {
            return false;
        }
        r.run();
        return true;
    }

    /** True when the key goes to a text field (directly, or through an editable combo box). */
    private static boolean typing(KeyEvent e) {
        if (e.getTarget() instanceof TextInputControl
                || (e.getTarget() instanceof ComboBoxBase<?> cb && cb.isEditable())) {
            return true;
        }
        Object src = e.getSource();
        if (src instanceof Scene sc) {
            javafx.scene.Node f = sc.getFocusOwner();
            return f instanceof TextInputControl || (f instanceof ComboBoxBase<?> cb && cb.isEditable());
        }
        return false;
    }

    /**
     * Installs the registry as a key filter on the scene (before focused controls see the keys).
     * The release and the typed character of a key whose press ran an action are consumed too:
     * some controls act on the release (a focused Slider jumps to its ends on Home/End released,
     * a Button fires on Space released), and the action must be all that key does.
     */
    public void install(Scene scene) {
        java.util.Set<javafx.scene.input.KeyCode> ran = java.util.EnumSet.noneOf(javafx.scene.input.KeyCode.class);
        boolean[] typedAfterRun = {false};
        scene.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (dispatch(e)) {
                ran.add(e.getCode());
                typedAfterRun[0] = true;
                e.consume();
            } else {
                typedAfterRun[0] = false;
            }
        });
        scene.addEventFilter(KeyEvent.KEY_TYPED, e -> {
            if (typedAfterRun[0]) {
                e.consume();
            }
        });
        scene.addEventFilter(KeyEvent.KEY_RELEASED, e -> {
            if (ran.remove(e.getCode())) {
                e.consume();
            }
        });
    }
}
