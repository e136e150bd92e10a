package ovavss.studio.ui.edit;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import ovavss.studio.annotation.Clip;
import ovavss.studio.annotation.EditHistory;
import ovavss.studio.annotation.Edits;
import ovavss.studio.annotation.Mask;
import ovavss.studio.annotation.MaskOps;
import ovavss.studio.annotation.ObjectFrame;
import ovavss.studio.annotation.Project;
import ovavss.studio.annotation.SoundFlag;
import ovavss.studio.annotation.SoundingObject;
import ovavss.studio.annotation.Vocabulary;
import ovavss.studio.annotation.VocabularyEntry;
import ovavss.studio.ui.overlay.MaskCompositor;
import ovavss.studio.ui.project.ProjectViewModel;

/**
 * {@code bench ui}: the editing hot paths without a window. Brush segments go through the same
 * {@link MaskCompositor} the overlay uses (label map update + dirty-rectangle re-render; the
 * upload of that rectangle to the screen image is left out: it needs a toolkit). Memory is the
 * retained heap of an undo history of 10,000 brush edits on a 1080p clip.
 */
public final class EditBenchmark {
    private static final int W = 1920;
    private static final int H = 1080;
    private static final int OBJECTS = 10;

    private EditBenchmark() {
    }

    /** Prints {@code name value unit} lines. */
    public static void run(PrintStream out) {
        Random r = new Random(42);
        List<Mask> masks = new ArrayList<>();
        for (int i = 0; i < OBJECTS; i++) {
            double cx = 150 + r.nextDouble() * (W - 300);
            double cy = 150 + r.nextDouble() * (H - 300);
            masks.add(MaskOps.stroke(W, H, new double[] {cx, cy, cx + 120, cy + 40}, 60 + r.nextDouble() * 60));
        }
        MaskCompositor c = new MaskCompositor(W, H);
        List<MaskCompositor.Layer> layers = new ArrayList<>();
        for (int i = 0; i < OBJECTS; i++) {
            layers.add(new MaskCompositor.Layer("o" + i, 0x123456 * (i + 1), i % 4 == 3, masks.get(i)));
        }
        long t0 = System.nanoTime();
        c.setLayers(layers);
        double rebuildMs = (System.nanoTime() - t0) / 1e6;

        // Strokes of 6-px mouse moves with a 20-px brush, over and across other objects.
        int strokes = 40;
        int segments = 100;
        long[] seg = new long[strokes * segments];
        long[] ends = new long[strokes];
        int n = 0;
        for (int s = 0; s < strokes + 5; s++) {
            boolean warm = s < 5;
            c.beginEdit("o" + (s % OBJECTS));
            double x = 100 + r.nextDouble() * (W - 800);
            double y = 100 + r.nextDouble() * (H - 200);
            double angle = r.nextDouble() * Math.PI * 2;
            for (int i = 0; i < segments; i++) {
                double nx = Math.max(0, Math.min(W, x + 6 * Math.cos(angle)));
                double ny = Math.max(0, Math.min(H, y + 6 * Math.sin(angle)));
                angle += (r.nextDouble() - 0.5) * 0.3;
                long a = System.nanoTime();
                c.stamp(x, y, nx, ny, 20, s % 5 == 4, s % 2 == 0);
                long b = System.nanoTime();
                if (!warm) {
                    seg[n++] = b - a;
                }
                x = nx;
                y = ny;
            }
            long a = System.nanoTime();
            c.endEdit();
            if (!warm) {
                ends[s - 5] = System.nanoTime() - a;
            }
        }
        Arrays.sort(seg);
        Arrays.sort(ends);
        out.printf(Locale.ROOT, "ui_overlay_rebuild_1080p_10obj %.2f ms%n", rebuildMs);
        out.printf(Locale.ROOT, "ui_brush_segment_p50 %.3f ms%n", seg[seg.length / 2] / 1e6);
        out.printf(Locale.ROOT, "ui_brush_segment_p95 %.3f ms%n", seg[(int) (seg.length * 0.95)] / 1e6);
        out.printf(Locale.ROOT, "ui_brush_segment_max %.3f ms%n", seg[seg.length - 1] / 1e6);
        out.printf(Locale.ROOT, "ui_stroke_finish_p50 %.2f ms%n", ends[ends.length / 2] / 1e6);

        // 10,000 undoable edits kept in the history (the view model's limit).
        Vocabulary v = Vocabulary.empty().with(VocabularyEntry.of("thing", 0xE69F00));
        int keyframes = 10;
        Clip clip = Clip.of("c", "bench.mp4", keyframes, W, H);
        for (int i = 0; i < OBJECTS; i++) {
            SoundingObject o = SoundingObject.of("o" + i, "thing");
            for (int k = 0; k < keyframes; k++) {
                o = o.withFrame(k, ObjectFrame.human(masks.get(i), SoundFlag.SOUNDING));
            }
            clip = clip.withObject(o);
        }
        Project p = new Project("bench", v, List.of(clip), java.util.Map.of());
        long before = usedHeap();
        EditHistory h = new EditHistory(p, ProjectViewModel.HISTORY_LIMIT);
        int edits = 10_000;
        long e0 = System.nanoTime();
        for (int i = 0; i < edits; i++) {
            String id = "o" + (i % OBJECTS);
            int k = (i / OBJECTS) % keyframes;
            Mask m = h.current().requireClip("c").object(id).get().frame(k).mask();
            double x = r.nextDouble() * W;
            double y = r.nextDouble() * H;
            Mask next = MaskOps.paintStroke(m, new double[] {x, y, x + 30, y + 10}, 10, i % 7 == 6);
            h.apply(Edits.stroke("c", id, k, next, i % 7 == 6));
        }
        double editMs = (System.nanoTime() - e0) / 1e6 / edits;
        long after = usedHeap();
        out.printf(Locale.ROOT, "ui_edit_apply_mean %.3f ms%n", editMs);
        out.printf(Locale.ROOT, "ui_history_10000_edits_heap %.1f MB%n", (after - before) / 1e6);
        out.printf(Locale.ROOT, "ui_history_per_edit %.1f KB%n", (after - before) / 1e3 / edits);
        // keep the history reachable until measured
        if (!h.canUndo()) {
            out.println("# history empty?");
        }
    }

    private static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}
