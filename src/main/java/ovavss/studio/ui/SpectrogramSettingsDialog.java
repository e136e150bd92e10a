package ovavss.studio.ui;

import java.util.List;
import java.util.Locale;
import javafx.beans.binding.Bindings;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.Spinner;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import ovavss.studio.audio.ColorMap;
import ovavss.studio.audio.FrequencyScale;
import ovavss.studio.audio.SpectrogramSettings;
import ovavss.studio.audio.WindowFunction;
import ovavss.studio.ui.settings.SettingsSheet;
import org.controlsfx.control.PropertySheet;
import org.controlsfx.control.RangeSlider;

/**
 * View › Spectrogram settings: window length and type, overlap, frequency scale, dB range (one
 * range slider for floor and ceiling), colour map.
 */
final class SpectrogramSettingsDialog {
    private static final List<Integer> WINDOW_LENGTHS = List.of(256, 512, 1024, 2048, 4096, 8192);
    /** The dB range slider's ends: the floor and ceiling are picked inside them. */
    private static final double DB_MIN = -200;
    private static final double DB_MAX = 40;

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
        RangeSlider db = new RangeSlider(DB_MIN, DB_MAX, Math.max(DB_MIN, s.dbFloor()), Math.min(DB_MAX, s.dbCeiling()));
        db.setId("spectrogram-db-range");
        db.setMajorTickUnit(20);
        db.setMinorTickCount(3);
        db.setSnapToTicks(true);
        db.setShowTickMarks(true);
        db.setBlockIncrement(5);
        db.setPrefWidth(260);
        Label dbText = new Label();
        dbText.setId("spectrogram-db-text");
        dbText.setMinWidth(Region.USE_PREF_SIZE);
        dbText.textProperty().bind(Bindings.createStringBinding(() -> String.format(Locale.ROOT, "%.0f … %.0f dB",
                db.getLowValue(), db.getHighValue()), db.lowValueProperty(), db.highValueProperty()));
        HBox.setHgrow(db, Priority.ALWAYS);
        HBox dbRow = new HBox(8, db, dbText);
        dbRow.setAlignment(Pos.CENTER_LEFT);
        ComboBox<ColorMap> colors = new ComboBox<>();
        colors.getItems().addAll(ColorMap.values());
        colors.setValue(s.colorMap());
        for (Spinner<Integer> sp : List.of(overlap, maxHz)) {
            sp.setEditable(true);
            sp.setPrefWidth(110);
        }

        PropertySheet sheet = SettingsSheet.of(List.of(
                new SettingsSheet.Row("Window length (samples)", "Longer windows: finer frequency, coarser time", length),
                new SettingsSheet.Row("Window", "The FFT window function", window),
                new SettingsSheet.Row("Overlap (%)", "Overlap of consecutive windows", overlap),
                new SettingsSheet.Row("Frequency scale", "Linear, logarithmic or mel frequency axis", scale),
                new SettingsSheet.Row("Top frequency (Hz)", "0 = up to the Nyquist frequency", maxHz),
                new SettingsSheet.Row("dB range", "Levels below the floor are black, above the ceiling full colour",
                        dbRow),
                new SettingsSheet.Row("Colour map", null, colors)));
        sheet.setId("spectrogram-settings");
        sheet.setPrefWidth(560);

        Dialog<SpectrogramSettings> d = new Dialog<>();
        d.setTitle("Spectrogram settings");
        d.setHeaderText(null);
        d.initOwner(owner.getScene().getWindow());
        ButtonType reset = new ButtonType("Defaults", ButtonBar.ButtonData.LEFT);
        d.getDialogPane().getButtonTypes().addAll(ButtonType.OK, ButtonType.CANCEL, reset);
        // In a box: the dialog pads its content node, and the sheet's preferred height leaves padding out.
        d.getDialogPane().setContent(new VBox(sheet));
        d.getDialogPane().getStylesheets().addAll(owner.getScene().getStylesheets());
        d.setResultConverter(b -> {
            if (b == reset) {
                return SpectrogramPane.DEFAULTS;
            }
            if (b != ButtonType.OK) {
                return null;
            }
            int lo = (int) Math.round(db.getLowValue());
            int hi = Math.max(lo + 1, (int) Math.round(db.getHighValue()));
            return s.withWindowLength(length.getValue()).withWindow(window.getValue())
                    .withOverlap(overlap.getValue() / 100.0).withScale(scale.getValue())
                    .withFrequencyRange(s.minHz(), maxHz.getValue() > s.minHz() ? maxHz.getValue() : 0)
                    .withDbRange(lo, hi).withColorMap(colors.getValue());
        });
        d.showAndWait().ifPresent(pane::setSettings);
    }
}
