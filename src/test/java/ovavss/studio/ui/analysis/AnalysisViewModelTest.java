package ovavss.studio.ui.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import ovavss.studio.annotation.Clip;
import ovavss.studio.annotation.Project;
import ovavss.studio.annotation.ProjectStore;
import ovavss.studio.annotation.SoundingObject;
import ovavss.studio.app.AnalysisJob;
import ovavss.studio.app.AnalysisResults;
import ovavss.studio.ui.project.ProjectViewModel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The analysis view model without a toolkit: one single-thread executor stands in for the FX
 * thread; the tiny random-weight bundle analyses an AV-Shapes sample. Vocabulary edits relabel the
 * cached analysis; the project's model objects always follow the latest vocabulary.
 */
class AnalysisViewModelTest {
    private static final Path TINY = Path.of("src/test/resources/bundles/tiny");
    private static final Path SAMPLE = Path.of("models/samples/avshapes-test-0.mp4");

    private ExecutorService fx;
    private ExecutorService io;
    private AnalysisJob job;
    private ProjectViewModel project;
    private AnalysisViewModel vm;
    /** Every change of the running flag and the progress text, in order, as the FX thread saw it. */
    private final List<String> transitions = new CopyOnWriteArrayList<>();
    /** One permit each time {@code running} turns false. */
    private final Semaphore stopped = new Semaphore(0);

    @BeforeEach
    void setUp() throws Exception {
        fx = Executors.newSingleThreadExecutor();
        io = Executors.newSingleThreadExecutor();
        job = new AnalysisJob();
        onFx(() -> {
            project = new ProjectViewModel(Project.empty("t"), fx, io, new ProjectStore());
            vm = new AnalysisViewModel(job, project, fx);
            vm.chooseModel(TINY);
            vm.progressTextProperty().addListener((o, was, now) -> transitions.add("text " + now));
            vm.runningProperty().addListener((o, was, now) -> {
                transitions.add("running " + now);
                if (!now) {
                    stopped.release();
                }
            });
            return null;
        });
    }

    @AfterEach
    void tearDown() {
        job.close();
        fx.shutdownNow();
        io.shutdownNow();
    }

    private <T> T onFx(Callable<T> c) throws Exception {
        return fx.submit(c).get(20, TimeUnit.SECONDS);
    }

    /** Polls like the panel's timeline until {@code done} holds on the "FX" thread. */
    private void pollUntil(BooleanSupplier done) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!onFx(() -> {
            vm.poll();
            return done.getAsBoolean();
        })) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out; state " + onFx(() -> vm.progressTextProperty().get() + " / "
                        + vm.messageProperty().get()));
            }
            Thread.sleep(50); // the panel's timeline period; the condition, not the time, ends the wait
        }
    }

    /**
     * Polls like the panel's timeline, calling {@code eachTick} after every poll on the "FX" thread,
     * until the running flag turns false (waiting on that event between ticks); fails after 30 s.
     *
     * @return the transitions recorded from the call on
     */
    private List<String> pollUntilStopped(Runnable eachTick) throws Exception {
        int from = transitions.size();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        do {
            if (System.nanoTime() > end) {
                throw new AssertionError("the analysis did not stop in 30 s: " + transitions.subList(from,
                        transitions.size()));
            }
            onFx(() -> {
                vm.poll();
                eachTick.run();
                return null;
            });
        } while (!stopped.tryAcquire(20, TimeUnit.MILLISECONDS));
        onFx(() -> null); // the task that cleared the flag has finished setting the rest
        return List.copyOf(transitions.subList(from, transitions.size()));
    }

    private void analyse(Path media, double duration) throws Exception {
        onFx(() -> {
            vm.analyse(media, duration, 256, 256, 0, -1);
            return null;
        });
    }

    private void analyseSample() throws Exception {
        analyse(SAMPLE, 10.0);
        List<String> seen = pollUntilStopped(() -> { });
        assertEquals("text Done", lastText(seen), onFx(() -> vm.messageProperty().get()) + " " + seen);
        AnalysisViewModel.Outcome done = onFx(() -> vm.outcomeProperty().get());
        assertFalse(done.failed());
        assertEquals(onFx(() -> vm.messageProperty().get()), done.message());
    }

    private static String lastText(List<String> transitions) {
        return transitions.stream().filter(t -> t.startsWith("text ")).reduce((a, b) -> b).orElse("none");
    }

    private Clip clip() throws Exception {
        return onFx(() -> project.currentClip().orElseThrow());
    }

    private Set<String> vocabulary() throws Exception {
        return onFx(() -> Set.copyOf(AnalysisResults.names(project.getProject().vocabulary())));
    }

    /** Waits until the applied labelling matches the project's vocabulary (no relabel pending). */
    private void awaitRelabel(long before) throws Exception {
        pollUntil(() -> vm.relabelCount() > before && !vm.relabelPending());
    }

    /**
     * fp16 asked for on the CPU: the model loads at fp32, the status bar's text says so next to
     * the device, and the note why is there for the window to show.
     */
    @Test
    void aPrecisionThatCannotRunIsSaidWithTheDevice() throws Exception {
        java.util.concurrent.CompletableFuture<AnalysisJob.Loaded> load = onFx(() -> {
            vm.precisionProperty().set(ovavss.studio.model.Precision.FP16);
            return vm.chooseModel(TINY);
        });
        assertEquals(ovavss.studio.model.Precision.FP32, load.get(60, TimeUnit.SECONDS).precision());
        pollUntil(() -> vm.modelTextProperty().get().contains("classes"));
        String note = "fp16 needs a CUDA GPU; running fp32 on the CPU";
        assertEquals("CPU · fp32", onFx(() -> vm.deviceTextProperty().get()));
        assertTrue(onFx(() -> vm.modelTextProperty().get()).endsWith("· CPU · fp32"));
        assertEquals(note, onFx(() -> vm.modelNoteProperty().get()));
        assertTrue(onFx(() -> vm.messageProperty().get()).contains(note), onFx(() -> vm.messageProperty().get()));
        onFx(() -> {
            vm.precisionProperty().set(ovavss.studio.model.Precision.FP32);
            return vm.chooseModel(TINY);
        }).get(60, TimeUnit.SECONDS);
        pollUntil(() -> vm.modelTextProperty().get().contains("classes"));
        assertEquals("", onFx(() -> vm.modelNoteProperty().get()), "fp32 as asked: nothing to say");
    }

    /**
     * Rename keeping objects: every object of the class, the model's too, takes the new name with
     * its masks and scores as they were (the class keeps asking the model with its old words), the
     * selection stays, and a later relabel does not re-score them; undo brings the old name back.
     */
    @Test
    void renamingAClassKeepsItsObjectsAndTheSelection() throws Exception {
        analyseSample();
        Clip analysed = clip();
        SoundingObject best = analysed.objects().get(0);
        String top = best.label();
        onFx(() -> {
            project.selectObject(best.id());
            return null;
        });
        long r0 = onFx(vm::relabelCount);
        assertTrue(onFx(() -> vm.renameKeepingObjects(top, "drum")));
        awaitRelabel(r0);
        Clip renamed = clip();
        assertEquals(analysed.objects().size(), renamed.objects().size());
        for (int i = 0; i < analysed.objects().size(); i++) {
            SoundingObject before = analysed.objects().get(i);
            SoundingObject after = renamed.objects().stream().filter(o -> o.frames().equals(before.frames()))
                    .findFirst().orElseThrow(() -> new AssertionError(before.id() + " lost or re-scored"));
            assertEquals(before.label().equals(top) ? "drum" : before.label(), after.label());
        }
        assertTrue(vocabulary().contains("drum"));
        assertFalse(vocabulary().contains(top));
        String selected = onFx(project::getSelectedObjectId);
        assertTrue(onFx(() -> project.selectedObject().map(o -> o.frames().equals(best.frames())).orElse(false)),
                "the selection stays on the renamed object (" + selected + ")");
        assertTrue(onFx(project::undo));
        assertTrue(vocabulary().contains(top));
        assertEquals(analysed.objects(), clip().objects());
    }

    @Test
    void modelObjectsFollowRenamesAndRemovalsAndUndo() throws Exception {
        analyseSample();
        Clip analysed = clip();
        assertFalse(analysed.objects().isEmpty());
        long windows = onFx(() -> vm.windowsInferredProperty().get());
        String top = analysed.objects().get(0).label();

        // Rename the best object's class: no model object keeps the old name.
        long r0 = onFx(vm::relabelCount);
        assertTrue(onFx(() -> vm.renameName(top, "violet blob")));
        awaitRelabel(r0);
        assertTrue(vocabulary().contains("violet-blob"));
        for (SoundingObject o : clip().objects()) {
            assertTrue(vocabulary().contains(o.label()), o.label() + " is not in the vocabulary");
            assertFalse(o.label().equals(top));
        }

        // Remove a class: its objects take another name or vanish.
        String victim = clip().objects().get(0).label();
        long r1 = onFx(vm::relabelCount);
        assertTrue(onFx(() -> vm.removeName(victim)));
        awaitRelabel(r1);
        assertFalse(vocabulary().contains(victim));
        for (SoundingObject o : clip().objects()) {
            assertFalse(o.label().equals(victim));
            assertTrue(vocabulary().contains(o.label()));
        }
        assertEquals(windows, onFx(() -> vm.windowsInferredProperty().get()), "no inference for vocabulary edits");

        // Blank and duplicate names are refused with a message.
        assertFalse(onFx(() -> vm.addName("   ")));
        String existing = vocabulary().iterator().next();
        assertFalse(onFx(() -> vm.addName(existing)));
        assertTrue(onFx(() -> vm.messageProperty().get()).contains("already"));

        // Undo goes back step by step to the analysed objects.
        onFx(() -> {
            while (project.canUndoProperty().get()
                    && !project.getProject().vocabulary().contains(top)) {
                project.undo();
            }
            return null;
        });
        assertTrue(vocabulary().contains(top));
    }

    @Test
    void quickEditsEndWithObjectsOfTheLastVocabulary() throws Exception {
        analyseSample();
        long r0 = onFx(vm::relabelCount);
        onFx(() -> {
            // Several edits inside one "frame": relabels coalesce, the last vocabulary wins.
            for (String n : List.of("cyan moon", "white cross", "pink ring", "grey disc")) {
                vm.addName(n);
            }
            return null;
        });
        awaitRelabel(r0);
        Set<String> names = vocabulary();
        assertTrue(names.containsAll(Set.of("cyan-moon", "white-cross", "pink-ring", "grey-disc")));
        List<AnalysisResults.Summary> listed = onFx(() -> List.copyOf(vm.objects()));
        assertEquals(clip().objects().size(), listed.size());
        for (AnalysisResults.Summary s : listed) {
            assertTrue(names.contains(s.label()), s.label());
        }
    }

    @Test
    void aCancelledReanalysisKeepsEarlierResultsWhereItDidNotGet(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        Path longClip = dir.resolve("long.mp4");
        ovavss.studio.media.SampleClipGenerator.loop(SAMPLE, 6, longClip, "mp4");
        analyse(longClip, 60.0);
        List<String> first = pollUntilStopped(() -> { });
        assertEquals("text Done", lastText(first), first.toString());
        long windowsFirst = onFx(() -> vm.windowsInferredProperty().get());
        assertEquals(12, windowsFirst, "60 keyframes in windows of 5");
        int lastBefore = onFx(() -> lastKeyframe(project.currentClip().orElseThrow()));
        assertTrue(lastBefore >= 50, "objects up to the end: " + lastBefore);

        // Again, cancelled on the tick that sees its first window: keyframes it never reached keep
        // their objects.
        analyse(longClip, 60.0);
        boolean[] cancelled = {false};
        List<String> second = pollUntilStopped(() -> {
            if (!cancelled[0] && vm.windowsInferredProperty().get() > windowsFirst) {
                vm.cancel();
                cancelled[0] = true;
            }
        });
        assertTrue(cancelled[0], "the second run delivered a window before it stopped: " + second);
        long windows = onFx(() -> vm.windowsInferredProperty().get()) - windowsFirst;
        assertTrue(windows >= 1 && windows < 12, "cancelled between windows: " + windows + " " + second);
        // every state it went through, in order: no "Done" or "Failed" on the way, "Cancelled" last
        int cancelling = second.indexOf("text Cancelling after the current window…");
        assertTrue(cancelling >= 0, second.toString());
        assertEquals(List.of("text Cancelled"), second.subList(cancelling + 1, second.size()).stream()
                .filter(t -> t.startsWith("text ")).toList(), "after the cancel: " + second);
        assertFalse(second.contains("text Done") || second.contains("text Failed"), second.toString());
        assertEquals("Cancelled", onFx(() -> vm.progressTextProperty().get()));
        assertEquals(1, onFx(() -> vm.outcomeProperty().get().sequence()), "a cancelled run notifies nothing");
        assertEquals(lastBefore, (int) onFx(() -> lastKeyframe(project.currentClip().orElseThrow())),
                "the old predictions after keyframe " + (windows * 5) + " are kept");
    }

    private static int lastKeyframe(Clip c) {
        int last = -1;
        for (SoundingObject o : c.objects()) {
            if (!o.frames().isEmpty()) {
                last = Math.max(last, o.frames().lastKey());
            }
        }
        return last;
    }
}
