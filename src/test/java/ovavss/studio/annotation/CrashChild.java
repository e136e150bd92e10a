package ovavss.studio.annotation;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Child process of {@link CrashSafetyTest}: saves a project over and over until it is killed.
 * Mode {@code saves}: back-to-back synchronous saves, acknowledging {@code S <counter>} after each.
 * Mode {@code autosave}: an edit every 5 ms through {@link EditHistory} with the default
 * {@link AutosaveService}, acknowledging {@code S <counter>} after each background save.
 * Acknowledgements go to the file named by the third argument, one unbuffered write each: a write
 * that returned is in the kernel's cache and survives SIGKILL, where a pipe's last lines can be
 * lost when the JVM reading it drains the pipe of a dead process.
 */
public final class CrashChild {
    private CrashChild() {
    }

    /** The project state of edit number {@code counter}; its mask encodes the counter too. */
    static Project state(int counter, long wallMillis) {
        int w = 64;
        int h = 48;
        Mask m = MaskOps.polygon(w, h, new double[] {2, 2, 7 + counter % 50, 2, 7 + counter % 50, 30, 2, 30});
        TreeMap<Integer, ObjectFrame> frames = new TreeMap<>();
        for (int k = 0; k < 5; k++) {
            frames.put(k, ObjectFrame.human(k == 0 ? m : MaskOps.paintStroke(m, new double[] {40, 10 + k}, 4, false),
                    SoundFlag.SOUNDING));
        }
        Clip c = new Clip("clip", "media.mp4", 0, 5, Clip.defaultKeyframes(5), w, h,
                List.of(new SoundingObject("o1", "dog", 0, frames)), Map.of());
        return new Project("crash", Vocabulary.empty().with(VocabularyEntry.of("dog", 0x804000)), List.of(c),
                Map.of("counter", Integer.toString(counter), "t", Long.toString(wallMillis)));
    }

    static int counter(Project p) {
        return Integer.parseInt(p.properties().get("counter"));
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        java.io.FileOutputStream acks = new java.io.FileOutputStream(args[2], true);
        ProjectStore store = new ProjectStore(true);
        int counter = 0;
        try {
            counter = counter(store.load(dir).project());
        } catch (AnnotationException e) {
            // first run: no project yet
        }
        if (args[1].equals("saves")) {
            while (true) {
                counter++;
                store.save(state(counter, System.currentTimeMillis()), dir);
                acks.write(("S " + counter + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            }
        }
        EditHistory history = new EditHistory(state(counter, System.currentTimeMillis()), 10);
        AutosaveService auto = AutosaveService.attach(history, store, dir);
        auto.setListener(new AutosaveService.Listener() {
            @Override
            public void saved(Project project, long millis) {
                try {
                    acks.write(("S " + counter(project) + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }

            @Override
            public void failed(Exception error) {
                System.err.println("E " + error);
            }
        });
        while (true) {
            int next = ++counter;
            history.apply(EditCommand.of("tick", p -> state(next, System.currentTimeMillis())));
            Thread.sleep(5);
        }
    }
}
