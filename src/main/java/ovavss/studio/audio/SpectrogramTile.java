package ovavss.studio.audio;

/**
 * One rendered block of spectrogram columns at one zoom level.
 *
 * @param samplesPerColumn zoom level the tile was computed for
 * @param index            tile index; the tile holds columns {@code [firstColumn, firstColumn + columns)}
 * @param firstColumn      {@code index × SpectrogramTiles.TILE_COLUMNS}
 * @param columns          width in pixels (the last tile of a signal may be narrower)
 * @param rows             height in pixels
 * @param argb             opaque ARGB pixels, row-major {@code [rows][columns]}, row 0 = highest frequency;
 *                         shared, do not modify
 * @param complete         false when some samples the tile covers were not decoded yet (they read
 *                         as silence); such tiles are recomputed once more audio is available
 */
public record SpectrogramTile(double samplesPerColumn, int index, long firstColumn, int columns, int rows,
                              int[] argb, boolean complete) {

    /** First sample (inclusive) covered by the tile. */
    public double startSample() {
        return firstColumn * samplesPerColumn;
    }

    /** Pixel at ({@code column} within the tile, {@code row}). */
    public int pixel(int column, int row) {
        return argb[row * columns + column];
    }
}
