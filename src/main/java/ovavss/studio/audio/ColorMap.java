package ovavss.studio.audio;

/**
 * Perceptual colour maps for the spectrogram, as opaque ARGB ints.
 *
 * <p>Viridis and magma are evaluated from 6th-degree polynomial least-squares fits to the published
 * matplotlib colour maps (van der Walt &amp; Smith, 2015), the fits Matt Zucker published as
 * "polynomial approximations" (coefficients c0…c6 per channel). They are within a few 1/255 steps
 * of the reference tables (worst near the bright end of magma); tests check published anchor colours. Greyscale is linear in sRGB.
 */
public enum ColorMap {
    VIRIDIS("Viridis", new double[][] {
            {0.2777273272234177, 0.005407344544966578, 0.3340998053353061},
            {0.1050930431085774, 1.404613529898575, 1.384590162594685},
            {-0.3308618287255563, 0.214847559468213, 0.09509516302823659},
            {-4.634230498983486, -5.799100973351585, -19.33244095627987},
            {6.228269936347081, 14.17993336680509, 56.69055260068105},
            {4.776384997670288, -13.74514537774601, -65.35303263337234},
            {-5.435455855934631, 4.645852612178535, 26.3124352495832}}),
    MAGMA("Magma", new double[][] {
            {-0.002136485053939582, -0.000749655052795221, -0.005386127855323933},
            {0.2516605407371642, 0.6775232436837668, 2.494026599312351},
            {8.353717279216625, -3.577719514958484, 0.3144679030132573},
            {-27.66873308576866, 14.26473078096533, -13.64921318813922},
            {52.17613981234068, -27.94360607168351, 12.94416944238394},
            {-50.76852536473588, 29.04658282127291, 4.23415299384598},
            {18.65570506591883, -11.48977351997711, -5.601961508734096}}),
    GREYSCALE("Greyscale", null);

    /** Entries in {@link #lut()}. */
    public static final int LUT_SIZE = 256;

    private final String label;
    private final double[][] coeffs;
    private final int[] lut;

    ColorMap(String label, double[][] coeffs) {
        this.label = label;
        this.coeffs = coeffs;
        this.lut = new int[LUT_SIZE];
        for (int i = 0; i < LUT_SIZE; i++) {
            lut[i] = evaluate(i / (double) (LUT_SIZE - 1));
        }
    }

    public String label() {
        return label;
    }

    /** Colour for {@code t} in [0, 1] (clamped), evaluated exactly (not from the table). */
    public int evaluate(double t) {
        t = Math.max(0.0, Math.min(1.0, t));
        if (coeffs == null) {
            int g = (int) Math.round(t * 255);
            return 0xFF000000 | g << 16 | g << 8 | g;
        }
        int argb = 0xFF000000;
        for (int ch = 0; ch < 3; ch++) {
            double v = 0;
            for (int k = coeffs.length - 1; k >= 0; k--) { // Horner
                v = v * t + coeffs[k][ch];
            }
            int c = (int) Math.round(Math.max(0.0, Math.min(1.0, v)) * 255);
            argb |= c << (16 - 8 * ch);
        }
        return argb;
    }

    /** Colour for {@code t} in [0, 1] from the 256-entry table (what tiles use). */
    public int argb(double t) {
        int i = (int) (t * (LUT_SIZE - 1) + 0.5);
        return lut[Math.max(0, Math.min(LUT_SIZE - 1, i))];
    }

    /** A copy of the 256-entry ARGB table, index 0 = lowest value. */
    public int[] lut() {
        return lut.clone();
    }

    int[] lutShared() {
        return lut;
    }

    @Override
    public String toString() {
        return label;
    }
}
