package ovavss.studio.ui;

import javafx.geometry.VPos;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.TextAlignment;
import ovavss.studio.audio.FrequencyRuler;

/** The frequency ruler left of the spectrogram, from the tiles' {@link FrequencyRuler}. */
final class FrequencyGutter extends Region {
    private static final Font FONT = Font.font("System", 10);
    private final SpectrogramPane spectrogram;
    private final Canvas canvas = new Canvas();

    FrequencyGutter(SpectrogramPane spectrogram) {
        this.spectrogram = spectrogram;
        getStyleClass().add("frequency-gutter");
        getChildren().add(canvas);
        spectrogram.setSettingsListener(this::refresh);
        spectrogram.heightProperty().addListener(o -> refresh());
    }

    @Override
    protected void layoutChildren() {
        if (canvas.getWidth() != getWidth() || canvas.getHeight() != getHeight()) {
            canvas.setWidth(getWidth());
            canvas.setHeight(getHeight());
            refresh();
        }
    }

    void refresh() {
        double w = canvas.getWidth();
        double h = canvas.getHeight();
        GraphicsContext g = canvas.getGraphicsContext2D();
        g.clearRect(0, 0, w, h);
        FrequencyRuler r = spectrogram.ruler();
        if (r == null || h < 10) {
            return;
        }
        g.setFont(FONT);
        g.setTextAlign(TextAlignment.RIGHT);
        g.setTextBaseline(VPos.CENTER);
        g.setLineWidth(1);
        for (FrequencyRuler.Tick t : r.ticks(h, 18)) {
            double y = Math.round(t.y()) + 0.5;
            g.setStroke(Color.web(t.major() ? "#8a93a2" : "#5c6370"));
            g.strokeLine(w - (t.major() ? 7 : 4), y, w, y);
            if (y >= 6 && y <= h - 6) {   // a label cut by the pane edge would collide with its neighbour
                g.setFill(Color.web("#aab2bf"));
                g.fillText(t.label(), w - 9, y);
            }
        }
    }
}
