package ovavss.studio.annotation;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Holds the current {@link Project} and the undo/redo stacks. Thread-safe: edits may come from
 * any thread, {@link #current()} is a lock-free read (what background saves snapshot), and
 * listeners are called after each change on the editing thread, outside the lock.
 */
public final class EditHistory {
    private record Step(String description, Project before, Project after) {
    }

    private final int limit;
    private final Deque<Step> undo = new ArrayDeque<>();
    private final Deque<Step> redo = new ArrayDeque<>();
    private final List<Consumer<Project>> listeners = new CopyOnWriteArrayList<>();
    private volatile Project current;

    /** @param limit how many undo steps are kept (oldest dropped first) */
    public EditHistory(Project initial, int limit) {
        this.current = initial;
        this.limit = Math.max(1, limit);
    }

    public EditHistory(Project initial) {
        this(initial, 200);
    }

    public Project current() {
        return current;
    }

    /** Called with the new project after every apply, undo and redo. */
    public void addListener(Consumer<Project> l) {
        listeners.add(l);
    }

    /**
     * Applies a command; on failure nothing changes and the {@link AnnotationException} propagates.
     *
     * @return the new current project
     */
    public Project apply(EditCommand cmd) {
        Project after;
        synchronized (this) {
            Project before = current;
            after = cmd.apply(before);
            if (after == before) {
                return before;
            }
            undo.push(new Step(cmd.description(), before, after));
            while (undo.size() > limit) {
                undo.removeLast();
            }
            redo.clear();
            current = after;
        }
        fire(after);
        return after;
    }

    /**
     * Folds a follow-up change into the last step instead of making a step of its own, when the
     * project is still exactly {@code expected} (nothing happened in between): a vocabulary edit and
     * the relabelling it causes are one thing to the user and undo together.
     *
     * @return false, changing nothing, when the project moved on or there is no step to amend
     */
    public boolean amendLast(Project expected, EditCommand cmd) {
        Project after;
        synchronized (this) {
            Step last = undo.peek();
            if (current != expected || last == null || last.after() != expected) {
                return false;
            }
            after = cmd.apply(expected);
            if (after == expected) {
                return true;
            }
            undo.pop();
            undo.push(new Step(last.description(), last.before(), after));
            current = after;
        }
        fire(after);
        return true;
    }

    /** Undoes the last edit; returns false when there is nothing to undo. */
    public boolean undo() {
        Project p;
        synchronized (this) {
            Step s = undo.poll();
            if (s == null) {
                return false;
            }
            redo.push(s);
            current = p = s.before();
        }
        fire(p);
        return true;
    }

    /** Re-applies the last undone edit; returns false when there is nothing to redo. */
    public boolean redo() {
        Project p;
        synchronized (this) {
            Step s = redo.poll();
            if (s == null) {
                return false;
            }
            undo.push(s);
            current = p = s.after();
        }
        fire(p);
        return true;
    }

    public synchronized boolean canUndo() {
        return !undo.isEmpty();
    }

    public synchronized boolean canRedo() {
        return !redo.isEmpty();
    }

    public synchronized Optional<String> undoDescription() {
        return Optional.ofNullable(undo.peek()).map(Step::description);
    }

    public synchronized Optional<String> redoDescription() {
        return Optional.ofNullable(redo.peek()).map(Step::description);
    }

    /** Replaces the project (e.g. after loading) and clears both stacks. */
    public void reset(Project p) {
        synchronized (this) {
            undo.clear();
            redo.clear();
            current = p;
        }
        fire(p);
    }

    private void fire(Project p) {
        for (Consumer<Project> l : listeners) {
            l.accept(p);
        }
    }
}
