package ovavss.studio.audio;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Keyframe suggestions from audio: sound onsets from half-wave rectified spectral flux (on log
 * magnitudes, so a quiet onset counts as much as a loud one) and offsets from a drop of the
 * short-time energy below a fraction of the level the sound had reached.
 *
 * <p>Peaks are picked with an adaptive threshold (local median + {@code delta} median absolute
 * deviations of the whole flux curve) and a minimum gap, the usual recipe for onset curves.
 * Pure and single-threaded: callers run it on a worker and hand the immutable result to the UI.
 */
public final class OnsetDetector {
    /** What a suggestion marks. */
    public enum Kind { ONSET, OFFSET }

    /**
     * One suggested time.
     *
     * @param seconds  time from the start of the signal
     * @param strength relative strength in [0, 1] (1 = the strongest event of its kind)
     */
    public record Suggestion(double seconds, Kind kind, double strength) {
    }

    /**
     * Tunables.
     *
     * @param hopSeconds     analysis hop
     * @param windowSeconds  analysis window
     * @param delta          threshold above the local median, in median absolute deviations of the whole curve
     * @param minGapSeconds  two events of one kind are at least this far apart
     * @param offsetRatio    an offset is where energy falls below this fraction of the peak since the onset
     * @param silenceDb      frames this far below the loudest frame count as silence
     */
    public record Settings(double hopSeconds, double windowSeconds, double delta, double minGapSeconds,
                           double offsetRatio, double silenceDb) {
        public static Settings defaults() {
            return new Settings(0.01, 0.04, 4.0, 0.15, 0.1, 50);
        }
    }

    /** Log compression gain on magnitudes relative to the signal's level. */
    private static final double GAIN = 10;

    private final Settings settings;

    public OnsetDetector(Settings settings) {
        this.settings = settings;
    }

    public OnsetDetector() {
        this(Settings.defaults());
    }

    /** Suggestions in time order for a mono signal. */
    public List<Suggestion> detect(float[] pcm, int sampleRate) {
        if (sampleRate <= 0) {
            throw new IllegalArgumentException("sample rate must be positive");
        }
        int hop = Math.max(1, (int) Math.round(settings.hopSeconds() * sampleRate));
        int win = Math.max(16, (int) Math.round(settings.windowSeconds() * sampleRate));
        int fft = Integer.highestOneBit(win - 1) << 1;
        if (pcm.length < win) {
            return List.of();
        }
        int frames = 1 + (pcm.length - win) / hop;
        Stft stft = new Stft(WindowFunction.HANN, win, fft);
        double[] power = new double[stft.bins()];
        double[] prev = new double[stft.bins()];
        double[] flux = new double[frames];
        double[] energy = new double[frames];
        // Magnitudes relative to the signal's own level, so the curve does not depend on gain.
        double rms = 0;
        for (float v : pcm) {
            rms += v * v;
        }
        rms = Math.sqrt(rms / pcm.length);
        double ref = Math.max(1e-12, rms * Math.sqrt(win * 0.375)); // 0.375 = mean of Hann²
        for (int f = 0; f < frames; f++) {
            int off = f * hop;
            double e = 0;
            for (int i = 0; i < win; i++) {
                double v = pcm[off + i];
                e += v * v;
            }
            energy[f] = e / win;
            stft.power(pcm, off, power);
            double s = 0;
            for (int k = 1; k < power.length; k++) {
                double l = Math.log1p(GAIN * Math.sqrt(power[k]) / ref);
                if (f > 0 && l > prev[k]) {
                    s += l - prev[k];
                }
                prev[k] = l;
            }
            flux[f] = s;
        }
        double maxEnergy = Arrays.stream(energy).max().orElse(0);
        if (maxEnergy <= 0) {
            return List.of();
        }
        double silence = maxEnergy * Math.pow(10, -settings.silenceDb() / 10);
        // Frame f's flux compares window f with f-1; the onset lies where window f starts to
        // cover it: time of the frame's centre minus half a hop is a fair estimate.
        double frameTime = (double) hop / sampleRate;
        double centre = 0.5 * win / sampleRate;
        int minGap = Math.max(1, (int) Math.round(settings.minGapSeconds() / settings.hopSeconds()));
        List<Integer> onsets = peaks(flux, energy, silence, minGap);
        List<Suggestion> out = new ArrayList<>();
        double maxFlux = 0;
        for (int f : onsets) {
            maxFlux = Math.max(maxFlux, flux[f]);
        }
        for (int i = 0; i < onsets.size(); i++) {
            int f = onsets.get(i);
            out.add(new Suggestion(Math.max(0, f * frameTime + centre - frameTime / 2), Kind.ONSET,
                    maxFlux > 0 ? flux[f] / maxFlux : 0));
            int end = i + 1 < onsets.size() ? onsets.get(i + 1) : frames;
            int off = offsetAfter(energy, f, end, silence);
            if (off >= 0) {
                out.add(new Suggestion(off * frameTime + centre, Kind.OFFSET, 1.0));
            }
        }
        out.sort((a, b) -> Double.compare(a.seconds(), b.seconds()));
        return List.copyOf(out);
    }

    /** Local maxima of the flux above the adaptive threshold, in audible frames, at least {@code minGap} apart. */
    private List<Integer> peaks(double[] flux, double[] energy, double silence, int minGap) {
        int n = flux.length;
        double[] sorted = flux.clone();
        Arrays.sort(sorted);
        double median = sorted[n / 2];
        // Spread of the curve (median absolute deviation): noise gives a high but steady flux,
        // so onsets are measured against its wobble, not its level.
        double[] dev = new double[n];
        for (int i = 0; i < n; i++) {
            dev[i] = Math.abs(flux[i] - median);
        }
        Arrays.sort(dev);
        double level = Math.max(dev[n / 2], 1e-9);
        double globalMax = sorted[n - 1];
        int half = Math.max(3, minGap);
        List<Integer> out = new ArrayList<>();
        double[] w = new double[2 * half + 1];
        for (int f = 1; f < n; f++) {
            double v = flux[f];
            if (v < flux[f - 1] || (f + 1 < n && v < flux[f + 1])) {
                continue;
            }
            int a = Math.max(0, f - half);
            int b = Math.min(n - 1, f + half);
            int m = 0;
            for (int i = a; i <= b; i++) {
                w[m++] = flux[i];
            }
            Arrays.sort(w, 0, m);
            double threshold = w[m / 2] + settings.delta() * level;
            // Relative floor: ripples of a steady tone stay below a tenth of the biggest onset.
            boolean audible = energy[Math.min(n - 1, f + 1)] > silence || energy[f] > silence;
            // An onset brings energy: the broadband click at the end of a sound has flux too, but
            // the level after it is lower than before.
            if (v > threshold && v - median > 0.1 * (globalMax - median) && audible && rises(energy, f, half)) {
                if (!out.isEmpty() && f - out.get(out.size() - 1) < minGap) {
                    int last = out.get(out.size() - 1);
                    if (flux[f] > flux[last]) {
                        out.set(out.size() - 1, f);
                    }
                } else {
                    out.add(f);
                }
            }
        }
        return out;
    }

    private static boolean rises(double[] energy, int f, int span) {
        double before = 0;
        double after = 0;
        int nb = 0;
        int na = 0;
        for (int i = Math.max(0, f - span); i < f; i++) {
            before += energy[i];
            nb++;
        }
        for (int i = f; i < Math.min(energy.length, f + span); i++) {
            after += energy[i];
            na++;
        }
        return na > 0 && (nb == 0 || after / na > 1.05 * before / nb);
    }

    /** First frame in (onset, end) where the energy falls below offsetRatio of its peak since the onset and stays there. */
    private int offsetAfter(double[] energy, int onset, int end, double silence) {
        double peak = 0;
        for (int f = onset; f < end; f++) {
            peak = Math.max(peak, energy[f]);
            double floor = Math.max(peak * settings.offsetRatio(), silence);
            if (f > onset && energy[f] < floor) {
                boolean stays = true;
                for (int g = f; g < Math.min(end, f + 3); g++) {
                    if (energy[g] >= floor) {
                        stays = false;
                        break;
                    }
                }
                if (stays) {
                    return f;
                }
            }
        }
        return -1;
    }

    /** The first suggestion strictly after {@code seconds} (1 ms tolerance), or null. */
    public static Suggestion next(List<Suggestion> suggestions, double seconds) {
        for (Suggestion s : suggestions) {
            if (s.seconds() > seconds + 1e-3) {
                return s;
            }
        }
        return null;
    }

    /** The last suggestion strictly before {@code seconds} (1 ms tolerance), or null. */
    public static Suggestion previous(List<Suggestion> suggestions, double seconds) {
        Suggestion best = null;
        for (Suggestion s : suggestions) {
            if (s.seconds() < seconds - 1e-3) {
                best = s;
            }
        }
        return best;
    }
}
