package ovavss.studio.ui;

import java.util.Locale;
import javafx.beans.property.StringProperty;
import javafx.geometry.Orientation;
import javafx.scene.control.Label;
import javafx.scene.control.Separator;
import javafx.scene.layout.Region;
import org.controlsfx.control.StatusBar;
import ovavss.studio.media.MediaInfo;

/**
 * The window's status bar (ControlsFX {@link StatusBar}): file, resolution, fps and duration on
 * the left, a remark about the media in the middle (the bar's text), the progress of a running
 * background job, then time, frame number and inference device on the right.
 */
final class MediaStatusBar extends StatusBar {
    final Label file = label("status-file", "No media");
    final Label resolution = label("status-resolution", "");
    final Label fps = label("status-fps", "");
    final Label duration = label("status-duration", "");
    final Label time = label("status-time", "");
    final Label frame = label("status-frame", "");
    final Label device = label("status-device", "CPU");

    MediaStatusBar() {
        setId("status-bar");
        setText("");
        file.setMinWidth(80);
        time.setMinWidth(Region.USE_PREF_SIZE);
        frame.setMinWidth(Region.USE_PREF_SIZE);
        getLeftItems().addAll(file, sep(), resolution, sep(), fps, sep(), duration);
        getRightItems().addAll(time, sep(), frame, sep(), device);
    }

    /** Device and precision, e.g. "CPU · fp32" or "GPU 0 (CUDA) · fp16"; set by whoever loads the model. */
    StringProperty deviceTextProperty() {
        return device.textProperty();
    }

    /**
     * A remark about the inference device (why the precision is not the one asked for): in the
     * bar's text, where the user sees it, and as the device's tooltip, where it stays. Null or
     * blank clears the tooltip.
     */
    void showDeviceNote(String note) {
        if (note == null || note.isBlank()) {
            device.setTooltip(null);
            if (deviceNote != null && deviceNote.equals(getText())) {
                setText(""); // the previous model's note, no longer true
            }
            deviceNote = null;
            return;
        }
        deviceNote = note;
        device.setTooltip(new javafx.scene.control.Tooltip(note));
        setText(note);
    }

    /** The note {@link #showDeviceNote} put in the bar's text, or null. */
    private String deviceNote;

    /** A remark about the open media (e.g. "no audio stream"), or null for none. */
    void showNotice(String text) {
        setText(text == null ? "" : text);
    }

    void showMedia(MediaInfo info) {
        String name = java.nio.file.Path.of(info.path()).getFileName() == null ? info.path()
                : java.nio.file.Path.of(info.path()).getFileName().toString();
        file.setText(name + (info.avsbenchClip() ? "  (AVSBench clip)" : ""));
        resolution.setText(info.hasVideo() ? info.width() + "×" + info.height() : "no video");
        fps.setText(info.hasVideo() ? String.format(Locale.ROOT, "%.3f fps%s", info.averageFps(),
                info.variableFrameRate() ? " VFR" : "") : info.hasAudio()
                ? String.format(Locale.ROOT, "%d Hz · %d ch", info.sampleRate(), info.channels()) : "");
        duration.setText(Format.time(info.durationMicros(), true));
    }

    /** The last playback's counts, as a tooltip of the frame number (the bar's details). */
    void showPlayback(String summary) {
        frame.setTooltip(new javafx.scene.control.Tooltip("Last playback: " + summary));
    }

    /**
     * @param frameIndex the frame on screen
     * @param approximate the picture is not the playhead's frame yet (scrubbing shows the nearest
     *                    picture at hand; the number is the picture's own, marked ≈)
     */
    void showPosition(long micros, int frameIndex, int frameCount, boolean approximate) {
        time.setText(Format.time(micros, true));
        frame.setText(frameCount > 0 ? (approximate ? "≈ frame " : "frame ") + frameIndex + " / " + (frameCount - 1)
                : "no frames");
    }

    private static Label label(String id, String text) {
        Label l = new Label(text);
        l.setId(id);
        return l;
    }

    private static Separator sep() {
        return new Separator(Orientation.VERTICAL);
    }
}
