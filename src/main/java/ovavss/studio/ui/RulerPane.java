package ovavss.studio.ui;

import javafx.geometry.VPos;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.TextAlignment;
import ovavss.studio.ui.timeline.TimelineModel;

/**
 * The time ruler: labelled ticks at a readable spacing plus the keyframe grid, one keyframe per
 * second of media (AVSBench's convention, frame k at k seconds), drawn as accent markers.
 */
final class RulerPane extends TimelinePane {
    private static final double[] STEPS_S = {0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5,
        1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600};
    private static final Color TEXT = Color.web("#aab2bf");
    private static final Color TICK = Color.web("#5c6370");
    private static final Color KEY = Color.web("#e5c07b");
    private static final Font FONT = Font.font("System", 10);

    RulerPane(TimelineModel model) {
        super(model, "ruler-pane");
        setMinHeight(26);
        setPrefHeight(26);
        setMaxHeight(26);
    }

    @Override
    protected void paint(GraphicsContext g, double w, double h, double t0, double t1) {
        g.setFill(Color.web("#21252b"));
        g.fillRect(0, 0, w, h);
        double spanS = (t1 - t0) / 1e6;
        double step = STEPS_S[STEPS_S.length - 1];
        for (double s : STEPS_S) {
            if (s / spanS * w >= 80) {
                step = s;
                break;
            }
        }
        double minor = step / 5;
        g.setStroke(TICK);
        g.setLineWidth(1);
        long firstMinor = (long) Math.floor(t0 / 1e6 / minor);
        for (long k = firstMinor; k * minor <= t1 / 1e6; k++) {
            double x = Math.round(model.toX(k * minor * 1e6, w)) + 0.5;
            boolean major = k % 5 == 0;
            g.strokeLine(x, h - (major ? 10 : 4), x, h);
        }
        // Keyframes: one per whole second; skip when they would be closer than 4 px.
        if (w / spanS >= 4) {
            g.setFill(KEY);
            for (long s = (long) Math.ceil(t0 / 1e6); s <= t1 / 1e6; s++) {
                double x = Math.round(model.toX(s * 1e6, w)) + 0.5;
                g.fillPolygon(new double[] {x - 3.5, x + 3.5, x}, new double[] {0, 0, 5}, 3);
            }
        }
        g.setFill(TEXT);
        g.setFont(FONT);
        g.setTextAlign(TextAlignment.LEFT);
        g.setTextBaseline(VPos.TOP);
        long firstMajor = (long) Math.floor(t0 / 1e6 / step);
        for (long k = firstMajor; k * step <= t1 / 1e6; k++) {
            double x = Math.round(model.toX(k * step * 1e6, w)) + 0.5;
            g.fillText(Format.time(Math.round(k * step * 1e6), step < 1), x + 3, 4);
        }
        g.setStroke(TICK);
        g.strokeLine(0, h - 0.5, w, h - 0.5);
    }
}
