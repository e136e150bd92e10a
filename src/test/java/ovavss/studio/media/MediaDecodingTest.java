package ovavss.studio.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ovavss.studio.pcm.PcmSource;

/**
 * Decoding against generated clips whose frames carry their own index as a barcode, so every
 * check compares what the decoder returned with what was encoded.
 */
class MediaDecodingTest {
    @TempDir
    static Path dir;
    static Path cfrH264;
    static Path cfrMpeg4;
    static Path vfr;
    static SampleClipGenerator.Spec vfrSpec;

    @BeforeAll
    static void generate() throws Exception {
        cfrH264 = dir.resolve("cfr-h264.mp4");
        SampleClipGenerator.generate(SampleClipGenerator.cfr(60, 24, SampleClipGenerator.Codec.H264), cfrH264);
        cfrMpeg4 = dir.resolve("cfr-mpeg4-bframes.mp4");
        SampleClipGenerator.generate(SampleClipGenerator.cfr(60, 24, SampleClipGenerator.Codec.MPEG4), cfrMpeg4);
        vfr = dir.resolve("vfr.mkv");
        vfrSpec = SampleClipGenerator.vfr(60);
        SampleClipGenerator.generate(vfrSpec, vfr);
    }

    @Test
    void cfrFrameCountAndMonotonicPts() throws Exception {
        for (Path clip : List.of(cfrH264, cfrMpeg4)) {
            try (MediaSource src = MediaOpener.open(clip)) {
                FrameIndex fi = src.frames();
                assertEquals(60, fi.count(), clip.toString());
                assertEquals(60, src.info().frameCount());
                assertFalse(src.info().variableFrameRate(), clip + " is CFR");
                assertEquals(24.0, src.info().averageFps(), 0.01);
                assertEquals(0, fi.timeMicros(0));
                for (int i = 1; i < fi.count(); i++) {
                    assertTrue(fi.timeMicros(i) > fi.timeMicros(i - 1), "PTS increase at " + i);
                    // 1/24 s steps; 1 µs of rounding allowed.
                    assertEquals(i * 1e6 / 24, fi.timeMicros(i), 1.0, "PTS of frame " + i);
                }
            }
        }
    }

    @Test
    void vfrTableIsExactAndSteppingVisitsEveryFrameOnce() throws Exception {
        try (MediaSource src = MediaOpener.open(vfr)) {
            FrameIndex fi = src.frames();
            assertEquals(60, fi.count());
            assertTrue(src.info().variableFrameRate());
            for (int i = 0; i < fi.count(); i++) {
                assertEquals(vfrSpec.frameTimesMicros()[i], fi.timeMicros(i), "PTS of frame " + i);
            }
            // Stepping by time: from each frame's PTS, the next frame is the one at the next PTS.
            long t = 0;
            List<Integer> visited = new ArrayList<>();
            for (int i = 0; i < fi.count(); i++) {
                int idx = fi.indexAt(t);
                VideoFrame f = src.frame(idx);
                visited.add(FrameBarcode.read(f));
                assertEquals(idx, f.index());
                assertEquals(fi.timeMicros(idx), f.ptsMicros());
                if (idx + 1 < fi.count()) {
                    assertEquals(idx, fi.indexAt(fi.timeMicros(idx + 1) - 1), "frame shown just before the next PTS");
                    t = fi.timeMicros(idx + 1);
                }
            }
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                expected.add(i);
            }
            assertEquals(expected, visited);
        }
    }

    @Test
    void randomSeeksReturnTheSameFrameAsSequentialDecoding() throws Exception {
        for (Path clip : List.of(cfrH264, cfrMpeg4, vfr)) {
            List<int[]> sequential = new ArrayList<>();
            try (MediaSource src = MediaOpener.open(clip)) {
                for (int i = 0; i < src.frames().count(); i++) {
                    VideoFrame f = src.frame(i);
                    assertEquals(i, FrameBarcode.read(f), clip + ": barcode of sequential frame " + i);
                    sequential.add(f.argb());
                }
            }
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < sequential.size(); i++) {
                order.add(i);
            }
            Collections.shuffle(order, new Random(42));
            try (MediaSource src = MediaOpener.open(clip)) {
                for (int n : order) {
                    VideoFrame f = src.frame(n);
                    assertEquals(n, f.index());
                    assertEquals(n, FrameBarcode.read(f), clip + ": barcode after seeking to " + n);
                    assertArrayEquals(sequential.get(n), f.argb(), clip + ": pixels of frame " + n);
                }
                // Backward single steps from the end (each one crosses back over decoded frames).
                for (int n = sequential.size() - 1; n >= sequential.size() - 15; n--) {
                    assertEquals(n, FrameBarcode.read(src.frame(n)), clip + ": stepping back to " + n);
                }
            }
        }
    }

    @Test
    void toneOnsetIsAlignedWithMediaTime() throws Exception {
        double onset = 1.25;
        Path clip = dir.resolve("tone.mp4");
        SampleClipGenerator.generate(SampleClipGenerator.toneOnset(onset, 3.0), clip);
        try (MediaSource src = MediaOpener.open(clip)) {
            MediaOpener.awaitAudio(src);
            AudioTrack a = src.audio();
            assertNotNull(a);
            assertEquals(48_000, a.sampleRate());
            assertEquals(1, a.channels());
            // AAC pads the last frame: allow up to 2 AAC frames (2048 samples) more, none fewer.
            long expected = 3 * 48_000;
            assertEquals(a.length(), a.available());
            assertTrue(a.length() >= expected && a.length() <= expected + 2048, "length " + a.length());
            assertOnset(a, onset);
        }
        // The same audio moved ±0.5 s against the video: sample 0 stays at the first video frame.
        for (long shift : new long[] {500_000, -500_000}) {
            Path shifted = dir.resolve("tone-shift" + shift + ".mkv");
            SampleClipGenerator.shiftAudio(clip, shifted, "matroska", shift);
            try (MediaSource src = MediaOpener.open(shifted)) {
                MediaOpener.awaitAudio(src);
                assertEquals(30, src.frames().count());
                assertOnset(src.audio(), onset + shift / 1e6);
                long expected = 3 * 48_000 + shift * 48_000 / 1_000_000;
                long len = src.audio().length();
                assertTrue(len >= expected && len <= expected + 2048, "length " + len + " for shift " + shift);
            }
        }
    }

    /**
     * Onset = start of the first 2 ms window whose RMS reaches half the tone's RMS (0.5/√2).
     * Tolerance 10 ms: an AAC frame is 21 ms, so priming/offset errors would show as ≥ 21 ms.
     */
    private static void assertOnset(AudioTrack a, double onset) {
        int rate = a.sampleRate();
        float[] pcm = new float[(int) a.length()];
        a.read(PcmSource.MONO_MIX, 0, pcm, 0, pcm.length);
        int win = rate / 500;
        int found = -1;
        for (int s = 0; s + win < pcm.length; s += 8) {
            double e = 0;
            for (int i = s; i < s + win; i++) {
                e += pcm[i] * pcm[i];
            }
            if (Math.sqrt(e / win) > 0.5 * 0.5 / Math.sqrt(2)) {
                found = s;
                break;
            }
        }
        double foundS = found / (double) rate;
        assertEquals(onset, foundS, 0.010, "tone onset found at " + foundS + " s");
        float maxBefore = 0;
        for (int i = 0; i < (int) ((onset - 0.03) * rate); i++) {
            maxBefore = Math.max(maxBefore, Math.abs(pcm[i]));
        }
        assertTrue(maxBefore < 0.02, "silence before the onset, max " + maxBefore);
    }

    @Test
    void monoMixIsTheChannelAverage() throws Exception {
        try (MediaSource src = MediaOpener.open(SampleClip.path())) {
            MediaOpener.awaitAudio(src);
            AudioTrack a = src.audio();
            assertEquals(2, a.channels());
            int n = 44_100;
            long start = 44_100L * 3 + 100;   // both tones play around 3–4 s
            float[] l = new float[n];
            float[] r = new float[n];
            float[] m = new float[n];
            a.read(0, start, l, 0, n);
            a.read(1, start, r, 0, n);
            a.read(PcmSource.MONO_MIX, start, m, 0, n);
            double energyL = 0;
            double energyR = 0;
            for (int i = 0; i < n; i++) {
                assertEquals((l[i] + r[i]) / 2, m[i], 1e-4);
                energyL += l[i] * l[i];
                energyR += r[i] * r[i];
            }
            assertTrue(energyL > 1 && energyR > 1, "both channels carry sound");
            float[] out = new float[4];
            a.read(0, a.available() + 10, out, 0, 4);
            assertArrayEquals(new float[4], out, "past the end reads zeros");
        }
    }

    @Test
    void bundledSampleOpens() throws Exception {
        try (MediaSource src = MediaOpener.openAudioVisual(SampleClip.path())) {
            MediaInfo info = src.info();
            assertEquals(320, info.width());
            assertEquals(240, info.height());
            assertEquals(250, info.frameCount());
            assertEquals(10_000_000, info.durationMicros(), 50_000);
            assertEquals(44_100, info.sampleRate());
            assertEquals(137, FrameBarcode.read(src.frame(137)));
        }
    }
}
