package ovavss.studio.ui;

import java.util.List;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.layout.GridPane;
import ovavss.studio.audio.ColorMap;
import ovavss.studio.audio.FrequencyScale;
import ovavss.studio.audio.SpectrogramSettings;
import ovavss.studio.audio.WindowFunction;

/** View › Spectrogram settings: window length and type, overlap, frequency scale, dB range, colour map. */
final class SpectrogramSettingsDialog {
    private static final List<Integer> WINDOW_LENGTHS = List.of(256, 512, 1024, 2048, 4096, 8192);

    private SpectrogramSettingsDialog() { }

    static void show(Node owner, SpectrogramPane pane) {
        SpectrogramSettings s = pane.settings();
        ComboBox<Integer> length = new ComboBox<>();
        length.getItems().addAll(WINDOW_LENGTHS);
        if (!WINDOW_LENGTHS.contains(s.windowLength())) {
            length.getItems().add(s.windowLength());
        }
        length.setValue(s.windowLength());
        ComboBox<WindowFunction> window = new ComboBox<>();
        window.getItems().addAll(WindowFunction.values());
        window.setValue(s.window());
        Spinner<Integer> overlap = new Spinner<>(0, 95, (int) Math.round(s.overlap() * 100), 5);
        ComboBox<FrequencyScale> scale = new ComboBox<>();
        scale.getItems().addAll(FrequencyScale.values());
        scale.setValue(s.scale());
        Spinner<Integer> maxHz = new Spinner<>(0, 96_000, (int) Math.round(s.maxHz()), 1000);
        maxHz.setTooltip(new javafx.scene.control.Tooltip("0 = up to the Nyquist frequency"));
        Spinner<Integer> floor = new Spinner<>(-200, -10, (int) Math.round(s.dbFloor()), 5);
        Spinner<Integer> ceiling = new Spinner<>(-100, 40, (int) Math.round(s.dbCeiling()), 5);
        ComboBox<ColorMap> colors = new ComboBox<>();
        colors.getItems().addAll(ColorMap.values());
        colors.setValue(s.colorMap());
        for (Spinner<Integer> sp : List.of(overlap, maxHz, floor, ceiling)) {
            sp.setEditable(true);
            sp.setPrefWidth(110);
        }

        GridPane g = new GridPane();
        g.setHgap(12);
        g.setVgap(8);
        g.setPadding(new Insets(12));
        Object[][] rows = {
            {"Window length (samples)", length}, {"Window", window}, {"Overlap (%)", overlap},
            {"Frequency scale", scale}, {"Top frequency (Hz)", maxHz}, {"dB floor", floor}, {"dB ceiling", ceiling}, {"Colour map", colors}};
        for (int i = 0; i < rows.length; i++) {
            g.addRow(i, new Label((String) rows[i][0]), (Node) rows[i][1]);
        }

        Dialog<SpectrogramSettings> d = new Dialog<>();
        d.setTitle("Spectrogram settings");
        d.setHeaderText(null);
        d.initOwner(owner.getScene().getWindow());
        ButtonType reset = new ButtonType("Defaults", ButtonBar.ButtonData.LEFT);
        d.getDialogPane().getButtonTypes().addAll(ButtonType.OK, ButtonType.CANCEL, reset);
        d.getDialogPane().setContent(g);
        d.getDialogPane().getStylesheets().addAll(owner.getScene().getStylesheets());
        d.setResultConverter(b -> {
            if (b == reset) {
                return SpectrogramPane.DEFAULTS;
            }
            if (b != ButtonType.OK) {
                return null;
            }
            int lo = floor.getValue();
            int hi = Math.max(lo + 1, ceiling.getValue());
            return s.withWindowLength(length.getValue()).withWindow(window.getValue())
                    .withOverlap(overlap.getValue() / 100.0).withScale(scale.getValue())
                    .withFrequencyRange(s.minHz(), maxHz.getValue() > s.minHz() ? maxHz.getValue() : 0)
                    .withDbRange(lo, hi).withColorMap(colors.getValue());
        });
        d.showAndWait().ifPresent(pane::setSettings);
    }
}
