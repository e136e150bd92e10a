package ovavss.studio.cli;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import ovavss.studio.app.InstallFiles;
import ovavss.studio.audio.PcmBuffer;
import ovavss.studio.audio.SpectrogramSettings;
import ovavss.studio.audio.SpectrogramTiles;
import ovavss.studio.audio.VggishLogMel;
import ovavss.studio.audio.WaveformPeaks;
import ovavss.studio.pcm.PcmSource;
import ovavss.studio.task.NamedThreads;

/**
 * {@code bench audio}: spectrogram overview, waveform overview and VGGish log-mel timings on
 * synthetic audio, plus the spectrogram ratio against the committed numpy reference
 * ({@code models/golden/spectrogram_reference.py}, same work) when {@code /usr/bin/python3} with numpy
 * is present.
 */
public final class AudioBenchmark implements Benchmark {
    private static final int RATE = 44100;
    private static final int SECONDS = 3600;
    private static final int COLUMNS = 1920;
    private static final int ROWS = 256;
    private static final String NUMPY_SCRIPT = "models/golden/spectrogram_reference.py";

    @Override
    public String name() {
        return "audio";
    }

    @Override
    public void run(PrintStream out) throws Exception {
        Pcm16 hour = synth(SECONDS, RATE);
        SpectrogramSettings settings = SpectrogramSettings.defaults().withRows(ROWS);
        double spc = hour.length() / (double) COLUMNS;

        // Full overview as the app does it: fresh tile set, two workers, wait for completion.
        ExecutorService pool = Executors.newFixedThreadPool(2, NamedThreads.named("bench-spectrogram"));
        double coldS;
        double warmS = Double.MAX_VALUE;
        try {
            coldS = overview(hour, settings, spc, pool);
            for (int i = 0; i < 3; i++) {
                warmS = Math.min(warmS, overview(hour, settings, spc, pool));
            }
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
        line(out, "spectrogram_1h_s", coldS, "s");
        line(out, "spectrogram_1h_warm_s", warmS, "s");

        // Same work on one thread, to compare like with like against single-threaded numpy.
        double singleS = Double.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            singleS = Math.min(singleS, overview(hour, settings, spc, Runnable::run));
        }
        line(out, "spectrogram_1h_1thread_s", singleS, "s");

        long t0 = System.nanoTime();
        WaveformPeaks peaks = WaveformPeaks.build(hour);
        double buildMs = (System.nanoTime() - t0) / 1e6;
        float[] min = new float[COLUMNS];
        float[] max = new float[COLUMNS];
        double queryMs = Double.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            long q0 = System.nanoTime();
            for (int ch : new int[] {0, 1, PcmSource.MONO_MIX}) {
                peaks.envelope(ch, 0, spc, min, max);
            }
            queryMs = Math.min(queryMs, (System.nanoTime() - q0) / 1e6);
        }
        line(out, "waveform_1h_pyramid_build_ms", buildMs, "ms");
        line(out, "waveform_1h_overview_ms", queryMs, "ms");
        peaks = null;

        // VGGish log-mel of 10 s of 44.1 kHz stereo: mix, resample to 16 kHz, 10 examples.
        float[][] tenS = new float[2][RATE * 10];
        for (int c = 0; c < 2; c++) {
            hour.read(c, 0, tenS[c], 0, tenS[c].length);
        }
        PcmBuffer clip = new PcmBuffer(RATE, tenS);
        double[] times = new double[7];
        for (int i = 0; i < times.length; i++) {
            long v0 = System.nanoTime();
            float[][][] ex = VggishLogMel.examples(clip);
            times[i] = (System.nanoTime() - v0) / 1e6;
            if (ex.length != 10) {
                throw new IllegalStateException("expected 10 examples, got " + ex.length);
            }
        }
        Arrays.sort(times);
        line(out, "vggish_logmel_10s_ms", times[times.length / 2], "ms");
        hour = null;

        Double numpyS = numpyReference();
        if (numpyS != null) {
            line(out, "numpy_spectrogram_1h_s", numpyS, "s");
            line(out, "spectrogram_vs_numpy_ratio", numpyS / singleS, "x");
        }
    }

    private static double overview(PcmSource pcm, SpectrogramSettings settings, double spc,
                                   java.util.concurrent.Executor executor) throws InterruptedException {
        long t0 = System.nanoTime();
        try (SpectrogramTiles tiles = new SpectrogramTiles(pcm, PcmSource.MONO_MIX, settings, executor)) {
            if (!tiles.awaitView(spc, 0, COLUMNS, 120_000)) {
                throw new IllegalStateException("spectrogram overview did not complete");
            }
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    /** Runs the numpy reference; null when python3/numpy or the script is missing. */
    private static Double numpyReference() {
        File python = new File("/usr/bin/python3");
        if (!python.canExecute() || !Files.isRegularFile(InstallFiles.find(NUMPY_SCRIPT))) {
            return null;
        }
        try {
            Process p = new ProcessBuilder(python.getPath(), InstallFiles.find(NUMPY_SCRIPT).toString(), "--seconds", String.valueOf(SECONDS),
                    "--rate", String.valueOf(RATE), "--columns", String.valueOf(COLUMNS), "--rows", String.valueOf(ROWS))
                    .redirectErrorStream(true).start();
            String result = null;
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) {
                    if (l.startsWith("numpy_spectrogram_1h_s ")) {
                        result = l.substring(l.indexOf(' ') + 1).trim();
                    }
                }
            }
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0 || result == null) {
                return null; // typically: numpy not installed
            }
            return Double.parseDouble(result);
        } catch (Exception e) {
            return null;
        }
    }

    private static void line(PrintStream out, String name, double value, String unit) {
        out.printf(Locale.ROOT, "%s %.4f %s%n", name, value, unit);
        out.flush();
    }

    /**
     * The same signal model as the numpy script: per channel a tone changing every 10 s plus a little
     * noise, 16-bit. Segments start on whole cycles, so equal-frequency segments are shared.
     */
    static Pcm16 synth(int seconds, int rate) {
        int n = seconds * rate;
        int seg = 10 * rate;
        short[] left = new short[n];
        short[] right = new short[n];
        double[] noise = new double[seg];
        Random rnd = new Random(1);
        for (int i = 0; i < seg; i++) {
            noise[i] = rnd.nextGaussian() * 0.01;
        }
        java.util.Map<Long, short[]> cache = new java.util.HashMap<>();
        for (int s = 0; s < n; s += seg) {
            int m = Math.min(seg, n - s);
            int k = s / seg;
            System.arraycopy(tone(cache, 200.0 + (k * 37 % 40) * 100.0, 0.3, noise, rate), 0, left, s, m);
            System.arraycopy(tone(cache, 300.0 + (k * 17 % 30) * 150.0, 0.2, noise, rate), 0, right, s, m);
        }
        return new Pcm16(rate, new short[][] {left, right});
    }

    private static short[] tone(java.util.Map<Long, short[]> cache, double f, double amp, double[] noise, int rate) {
        return cache.computeIfAbsent(Double.doubleToLongBits(f) ^ Double.doubleToLongBits(amp), key -> {
            short[] x = new short[noise.length];
            for (int i = 0; i < x.length; i++) {
                double v = (amp * Math.sin(2 * Math.PI * f * i / rate) + noise[i]) * 32767;
                x[i] = (short) Math.max(-32768, Math.min(32767, Math.round(v)));
            }
            return x;
        });
    }

    /** Decoded audio stored as 16-bit, the compact form a long track is kept in. */
    static final class Pcm16 implements PcmSource {
        private final int rate;
        private final short[][] ch;

        Pcm16(int rate, short[][] ch) {
            this.rate = rate;
            this.ch = ch;
        }

        @Override
        public int sampleRate() {
            return rate;
        }

        @Override
        public int channels() {
            return ch.length;
        }

        @Override
        public long length() {
            return ch[0].length;
        }

        @Override
        public void read(int channel, long start, float[] dst, int off, int len) {
            int n = ch[0].length;
            int from = (int) Math.max(0, Math.min(n, start));
            int to = (int) Math.max(0, Math.min(n, start + len));
            java.util.Arrays.fill(dst, off, off + len, 0f);
            int d = off + (int) (from - start);
            float scale = 1f / 32768f;
            if (channel != MONO_MIX) {
                short[] c = ch[channel];
                for (int p = from; p < to; p++) {
                    dst[d++] = c[p] * scale;
                }
                return;
            }
            float mixScale = scale / ch.length;
            for (int p = from; p < to; p++) {
                int sum = 0;
                for (short[] c : ch) {
                    sum += c[p];
                }
                dst[d++] = sum * mixScale;
            }
        }
    }
}
