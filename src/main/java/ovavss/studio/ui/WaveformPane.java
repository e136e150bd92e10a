package ovavss.studio.ui;

import java.util.concurrent.CancellationException;
import java.util.concurrent.Executor;
import javafx.application.Platform;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.paint.Color;
import ovavss.studio.audio.WaveformPeaks;
import ovavss.studio.pcm.PcmSource;
import ovavss.studio.task.Cancellation;
import ovavss.studio.ui.timeline.TimelineModel;

/**
 * Min/max envelope per pixel column from a {@link WaveformPeaks} pyramid, as one mono lane or one
 * lane per channel. The pyramid is extended in the background while the audio track decodes.
 */
final class WaveformPane extends TimelinePane {
    private static final Color BG = Color.web("#1e2127");
    private static final Color WAVE = Color.web("#61afef");
    private static final Color WAVE_RMS = Color.web("#98c8f5");
    private static final Color AXIS = Color.web("#3b4048");
    private static final Color TEXT = Color.web("#7f8896");

    private final Executor worker;
    private WaveformPeaks peaks;
    private Cancellation job = new Cancellation();
    private boolean perChannel;
    private float[] min = new float[0];
    private float[] max = new float[0];

    WaveformPane(TimelineModel model, Executor worker) {
        super(model, "waveform-pane");
        this.worker = worker;
    }

    /** Shows {@code pcm} (or nothing when null); builds its peak pyramid in the background. */
    void setSource(PcmSource pcm) {
        job.cancel();
        peaks = null;
        repaint();
        if (pcm == null) {
            return;
        }
        Cancellation cancel = new Cancellation();
        job = cancel;
        WaveformPeaks p = WaveformPeaks.empty(pcm);
        peaks = p;
        worker.execute(() -> {
            try {
                // Follow a source that is still decoding: extend, repaint, wait, until it is all there.
                while (true) {
                    p.update(cancel);
                    Platform.runLater(this::repaint);
                    if (pcm.available() >= pcm.length()) {
                        break;
                    }
                    Thread.sleep(200);
                    cancel.check();
                }
            } catch (CancellationException | InterruptedException e) {
                // a newer media replaced this one
            }
        });
    }

    /** True when the peak pyramid covers all of the audio (or there is none). */
    boolean isComplete() {
        WaveformPeaks p = peaks;
        if (p == null) {
            return true;
        }
        PcmSource src = p.source();
        return src.available() >= src.length()
                && p.coveredSamples() >= src.length() / WaveformPeaks.BASE_BLOCK * WaveformPeaks.BASE_BLOCK;
    }

    boolean isPerChannel() {
        return perChannel;
    }

    void setPerChannel(boolean on) {
        perChannel = on;
        repaint();
    }

    @Override
    protected void paint(GraphicsContext g, double w, double h, double t0, double t1) {
        g.setFill(BG);
        g.fillRect(0, 0, w, h);
        WaveformPeaks p = peaks;
        if (p == null) {
            g.setFill(TEXT);
            g.fillText("no audio", 8, h / 2);
            return;
        }
        PcmSource src = p.source();
        int cols = (int) Math.ceil(w);
        if (min.length != cols) {
            min = new float[cols];
            max = new float[cols];
        }
        double spc = (t1 - t0) / 1e6 * src.sampleRate() / w;
        double start = t0 / 1e6 * src.sampleRate();
        int lanes = perChannel ? src.channels() : 1;
        double laneH = h / lanes;
        for (int lane = 0; lane < lanes; lane++) {
            int ch = perChannel ? lane : PcmSource.MONO_MIX;
            p.envelope(ch, start, spc, min, max);
            double mid = lane * laneH + laneH / 2;
            double half = laneH / 2 - 2;
            g.setStroke(AXIS);
            g.setLineWidth(1);
            g.strokeLine(0, Math.round(mid) + 0.5, w, Math.round(mid) + 0.5);
            g.setStroke(spc < 1.5 ? WAVE_RMS : WAVE);
            for (int i = 0; i < cols; i++) {
                double y0 = mid - max[i] * half;
                double y1 = mid - min[i] * half;
                if (y1 - y0 < 1) {
                    y1 = y0 + 1;
                }
                g.strokeLine(i + 0.5, y0, i + 0.5, y1);
            }
            if (lanes > 1) {
                g.setFill(TEXT);
                g.fillText("ch " + (lane + 1), 4, lane * laneH + 12);
            }
        }
    }
}
