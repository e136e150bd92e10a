package ovavss.studio.ui;

import java.util.Locale;
import javafx.beans.property.StringProperty;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.Separator;
import javafx.geometry.Orientation;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import ovavss.studio.media.MediaInfo;

/** File, resolution, fps, duration, time, frame number and inference device. */
final class StatusBar extends HBox {
    final Label file = label("status-file", "No media");
    final Label resolution = label("status-resolution", "");
    final Label fps = label("status-fps", "");
    final Label duration = label("status-duration", "");
    final Label time = label("status-time", "");
    final Label frame = label("status-frame", "");
    final Label device = label("status-device", "CPU");
    final Label notice = label("status-notice", "");

    StatusBar() {
        getStyleClass().add("status-bar");
        setAlignment(Pos.CENTER_LEFT);
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        file.setMinWidth(80);
        time.setMinWidth(Region.USE_PREF_SIZE);
        frame.setMinWidth(Region.USE_PREF_SIZE);
        notice.setManaged(false);
        notice.setVisible(false);
        notice.managedProperty().bind(notice.visibleProperty());
        getChildren().addAll(file, sep(), resolution, sep(), fps, sep(), duration, notice, grow,
                time, sep(), frame, sep(), device);
    }

    /** Device text, e.g. "CPU" or "CUDA:0"; set by whoever picks the inference device. */
    StringProperty deviceTextProperty() {
        return device.textProperty();
    }

    /** A remark about the open media (e.g. "no audio stream"), or null to hide it. */
    void showNotice(String text) {
        notice.setText(text == null ? "" : text);
        notice.setVisible(text != null && !text.isBlank());
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

    void showPosition(long micros, int frameIndex, int frameCount) {
        time.setText(Format.time(micros, true));
        frame.setText(frameCount > 0 ? "frame " + frameIndex + " / " + (frameCount - 1) : "no frames");
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
