package ovavss.studio.ui.overlay;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import ovavss.studio.annotation.Mask;

/**
 * The pixels of the mask overlay at media resolution, kept apart from JavaFX so the brush can be
 * benchmarked and tested headless.
 *
 * <p>It keeps a label map ({@code top[p]} = 1 + index of the topmost layer at pixel p, 0 = none)
 * and an ARGB image of it. A full rebuild happens once per project change; a brush segment only
 * touches the pixels under the brush and re-renders that dirty rectangle, which is what keeps
 * painting fluid on 1080p frames with many objects.
 *
 * <p>Not thread-safe: owned by the FX thread (or a benchmark thread).
 */
public final class MaskCompositor {
    /**
     * One object at the current keyframe.
     *
     * @param rgb         0xRRGGBB fill colour
     * @param outlineOnly true for silent objects: drawn as an outline with a faint fill
     */
    public record Layer(String id, int rgb, boolean outlineOnly, Mask mask) {
        public Layer {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(mask, "mask");
        }
    }

    private final int width;
    private final int height;
    private final int[] top;
    private final int[] argb;
    private List<Layer> layers = List.of();
    private double opacity = 0.45;
    private int hover = -1;
    private int selected = -1;

    private int editLayer = -1;
    private byte[] live;
    private boolean liveChanged;

    public MaskCompositor(int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("invalid overlay size " + width + "x" + height);
        }
        this.width = width;
        this.height = height;
        this.top = new int[width * height];
        this.argb = new int[width * height];
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** Row-major non-premultiplied ARGB of the overlay (live; do not modify). */
    public int[] argb() {
        return argb;
    }

    public List<Layer> layers() {
        return layers;
    }

    /** Replaces all layers (bottom to top) and re-renders everything. Cancels a running edit. */
    public void setLayers(List<Layer> bottomToTop) {
        for (Layer l : bottomToTop) {
            if (l.mask().width() != width || l.mask().height() != height) {
                throw new IllegalArgumentException("layer " + l.id() + " is " + l.mask().width() + "x"
                        + l.mask().height() + ", overlay is " + width + "x" + height);
            }
        }
        String hoverId = idOf(hover);
        String selectedId = idOf(selected);
        layers = List.copyOf(bottomToTop);
        hover = indexOf(hoverId);
        selected = indexOf(selectedId);
        editLayer = -1;
        live = null;
        Arrays.fill(top, 0);
        for (int i = 0; i < layers.size(); i++) {
            layers.get(i).mask().paintInto(top, i + 1, false);
        }
        render(0, 0, width, height);
    }

    /** Fill opacity in [0, 1], hovered and selected object ids (null for none); re-renders when changed. */
    public boolean setStyle(double fillOpacity, String hoverId, String selectedId) {
        double o = Math.max(0, Math.min(1, fillOpacity));
        int h = indexOf(hoverId);
        int s = indexOf(selectedId);
        if (o == opacity && h == hover && s == selected) {
            return false;
        }
        opacity = o;
        hover = h;
        selected = s;
        render(0, 0, width, height);
        return true;
    }

    /** Id of the topmost object at media pixel (x, y), or null. */
    public String objectAt(int x, int y) {
        if (x < 0 || y < 0 || x >= width || y >= height) {
            return null;
        }
        return idOf(top[y * width + x] - 1);
    }

    private String idOf(int i) {
        return i >= 0 && i < layers.size() ? layers.get(i).id() : null;
    }

    private int indexOf(String id) {
        if (id == null) {
            return -1;
        }
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i).id().equals(id)) {
                return i;
            }
        }
        return -1;
    }

    // ------------------------------------------------------------------ live brush

    /**
     * Starts painting into layer {@code id}; the object must already be a layer (an empty mask
     * for an object without pixels here).
     */
    public void beginEdit(String id) {
        int i = indexOf(id);
        if (i < 0) {
            throw new IllegalArgumentException("no layer '" + id + "'");
        }
        editLayer = i;
        live = layers.get(i).mask().toBytes();
        liveChanged = false;
    }

    public boolean isEditing() {
        return editLayer >= 0;
    }

    /**
     * Paints (or erases) a round brush of {@code radius} px swept from (x0, y0) to (x1, y1) in
     * media pixel coordinates: every pixel whose centre lies within the radius of the segment,
     * the same rule as {@link ovavss.studio.annotation.MaskOps#stroke}. With {@code keepDisjoint}
     * pixels of other objects are left alone.
     *
     * @return the dirty rectangle {x, y, w, h} that was re-rendered, or null when nothing changed
     */
    public int[] stamp(double x0, double y0, double x1, double y1, double radius, boolean erase, boolean keepDisjoint) {
        if (editLayer < 0) {
            throw new IllegalStateException("stamp outside beginEdit/endEdit");
        }
        int bx0 = Math.max(0, (int) Math.floor(Math.min(x0, x1) - radius - 1));
        int bx1 = Math.min(width - 1, (int) Math.ceil(Math.max(x0, x1) + radius + 1));
        int by0 = Math.max(0, (int) Math.floor(Math.min(y0, y1) - radius - 1));
        int by1 = Math.min(height - 1, (int) Math.ceil(Math.max(y0, y1) + radius + 1));
        if (bx0 > bx1 || by0 > by1) {
            return null;
        }
        double vx = x1 - x0;
        double vy = y1 - y0;
        double len2 = vx * vx + vy * vy;
        double r2 = radius * radius;
        int me = editLayer + 1;
        int dx0 = Integer.MAX_VALUE;
        int dy0 = Integer.MAX_VALUE;
        int dx1 = -1;
        int dy1 = -1;
        for (int y = by0; y <= by1; y++) {
            double py = y + 0.5;
            int row = y * width;
            for (int x = bx0; x <= bx1; x++) {
                double px = x + 0.5;
                double t = len2 == 0 ? 0 : Math.max(0, Math.min(1, ((px - x0) * vx + (py - y0) * vy) / len2));
                double ex = px - (x0 + t * vx);
                double ey = py - (y0 + t * vy);
                if (ex * ex + ey * ey > r2) {
                    continue;
                }
                int p = row + x;
                boolean changed = false;
                if (erase) {
                    if (live[p] != 0) {
                        live[p] = 0;
                        changed = true;
                        if (top[p] == me) {
                            top[p] = highestBelow(editLayer, x, y);
                        }
                    }
                } else if (live[p] == 0) {
                    int t0 = top[p];
                    if (keepDisjoint && t0 != 0 && t0 != me) {
                        continue;
                    }
                    live[p] = 1;
                    changed = true;
                    if (t0 < me) {
                        top[p] = me;
                    }
                }
                if (changed) {
                    dx0 = Math.min(dx0, x);
                    dx1 = Math.max(dx1, x);
                    dy0 = Math.min(dy0, y);
                    dy1 = Math.max(dy1, y);
                }
            }
        }
        if (dx1 < 0) {
            return null;
        }
        liveChanged = true;
        // outlines of neighbours change too: re-render one pixel around the changed area
        int rx = Math.max(0, dx0 - 1);
        int ry = Math.max(0, dy0 - 1);
        int rw = Math.min(width - 1, dx1 + 1) - rx + 1;
        int rh = Math.min(height - 1, dy1 + 1) - ry + 1;
        render(rx, ry, rw, rh);
        return new int[] {rx, ry, rw, rh};
    }

    private int highestBelow(int layer, int x, int y) {
        for (int j = layer - 1; j >= 0; j--) {
            if (layers.get(j).mask().get(x, y)) {
                return j + 1;
            }
        }
        return 0;
    }

    /**
     * Ends the edit.
     *
     * @return the painted mask, or null when the brush changed nothing
     */
    public Mask endEdit() {
        if (editLayer < 0) {
            return null;
        }
        Mask m = liveChanged ? Mask.fromBitmap(live, width, height) : null;
        editLayer = -1;
        live = null;
        return m;
    }

    // ------------------------------------------------------------------ rendering

    /** Re-renders the rectangle from the label map into {@link #argb()}. */
    public void render(int rx, int ry, int rw, int rh) {
        int fillA = (int) Math.round(opacity * 255);
        int hoverA = (int) Math.round(Math.min(1, opacity + 0.3) * 255);
        int faintA = (int) Math.round(opacity * 0.25 * 255);
        int n = layers.size();
        int[] fill = new int[n + 1];
        int[] edge = new int[n + 1];
        int[] inner = new int[n + 1];
        for (int i = 0; i < n; i++) {
            Layer l = layers.get(i);
            int rgb = l.rgb() & 0xFFFFFF;
            int a = i == hover ? hoverA : fillA;
            // Every mask gets a 1-px edge: white when selected, the class colour for silent outlines,
            // and a darker shade for filled masks so a mask stays visible over an object of its own colour.
            edge[i + 1] = i == selected ? 0xFFFFFFFF : l.outlineOnly() ? 0xFF000000 | rgb : 0xFF000000 | darker(rgb);
            if (l.outlineOnly()) {
                fill[i + 1] = i == hover ? (hoverA / 2) << 24 | rgb : faintA << 24 | rgb;
                inner[i + 1] = fill[i + 1];
            } else {
                fill[i + 1] = a << 24 | rgb;
                inner[i + 1] = fill[i + 1];
            }
        }
        int x1 = rx + rw;
        int y1 = ry + rh;
        for (int y = ry; y < y1; y++) {
            int row = y * width;
            for (int x = rx; x < x1; x++) {
                int p = row + x;
                int o = top[p];
                if (o == 0) {
                    argb[p] = 0;
                    continue;
                }
                boolean boundary = x == 0 || y == 0 || x == width - 1 || y == height - 1
                        || top[p - 1] != o || top[p + 1] != o || top[p - width] != o || top[p + width] != o;
                argb[p] = boundary ? edge[o] : inner[o];
            }
        }
    }

    /** The colour at 45 % brightness. */
    private static int darker(int rgb) {
        int r = (rgb >> 16) & 255;
        int g = (rgb >> 8) & 255;
        int b = rgb & 255;
        return (r * 45 / 100) << 16 | (g * 45 / 100) << 8 | b * 45 / 100;
    }

    /**
     * Pixels where each layer is on top, by layer id (a fully covered object has 0): the overlay
     * labels only objects one can see.
     */
    public java.util.Map<String, Integer> visiblePixels() {
        int[] counts = new int[layers.size() + 1];
        for (int t : top) {
            counts[t]++;
        }
        java.util.Map<String, Integer> out = new java.util.HashMap<>();
        for (int i = 0; i < layers.size(); i++) {
            out.merge(layers.get(i).id(), counts[i + 1], Integer::sum);
        }
        return out;
    }

    /** Layers of one keyframe helper: bottom-to-top order by z then list order. */
    public static List<Layer> sorted(List<Layer> layers, List<Integer> zOrders) {
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            idx.add(i);
        }
        idx.sort((a, b) -> Integer.compare(zOrders.get(a), zOrders.get(b)));
        List<Layer> out = new ArrayList<>();
        for (int i : idx) {
            out.add(layers.get(i));
        }
        return out;
    }
}
