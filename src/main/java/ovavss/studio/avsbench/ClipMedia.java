package ovavss.studio.avsbench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import ovavss.studio.annotation.Clip;

/**
 * Supplies the pixels and sound of a clip to the exporter. The app binds this to the media
 * decoders; {@link #avsbenchFolders()} reads clips that point at an AVSBench clip folder.
 */
public interface ClipMedia {
    /** Mono samples at some rate; the exporter resamples to 16 kHz. */
    record Audio(float[] samples, int sampleRate) {
    }

    /**
     * The frame shown at keyframe {@code k} as 0xRRGGBB pixels of the clip's size, or null when
     * unavailable (the frame is then not written).
     */
    int[] frame(Clip clip, int k) throws IOException;

    /** The clip's sound over [mediaStart, mediaStart + duration), or null when unavailable. */
    Audio audio(Clip clip) throws IOException;

    /**
     * The file that holds keyframe {@code k} as a JPEG of the clip's size, which an export copies
     * byte for byte instead of decoding and encoding it again, or null. Default: an AVSBench clip
     * folder's {@code frames/<k>.jpg} when the clip is that whole folder, one keyframe per frame.
     */
    default Path sourceFrame(Clip clip, int k) {
        Path folder = wholeClipFolder(clip);
        if (folder == null || Math.abs(clip.keyframeTimes().get(k) - k) > 1e-6) {
            return null;
        }
        Path f = folder.resolve("frames").resolve(k + ".jpg");
        int[] size = Files.isRegularFile(f) ? ImageFiles.dimensions(f) : null;
        return size != null && size[0] == clip.width() && size[1] == clip.height() ? f : null;
    }

    /**
     * The WAV file that holds the clip's whole sound, which an export copies as it is (its rate
     * and channels kept), or null. Default: an AVSBench clip folder's {@code audio.wav} when the
     * clip is that whole folder.
     */
    default Path sourceAudio(Clip clip) {
        Path folder = wholeClipFolder(clip);
        Path f = folder == null ? null : folder.resolve("audio.wav");
        return f != null && Files.isRegularFile(f) ? f : null;
    }

    /** The AVSBench clip folder a clip is, from its start: null for anything else. */
    private static Path wholeClipFolder(Clip clip) {
        if (clip.media() == null || clip.media().isBlank() || clip.mediaStart() != 0) {
            return null;
        }
        Path folder = Path.of(clip.media());
        return Files.isDirectory(folder.resolve("frames")) ? folder : null;
    }

    /** No media: exports write labels and metadata only. */
    ClipMedia NONE = new ClipMedia() {
        @Override
        public int[] frame(Clip clip, int k) {
            return null;
        }

        @Override
        public Audio audio(Clip clip) {
            return null;
        }

        @Override
        public Path sourceFrame(Clip clip, int k) {
            return null;
        }

        @Override
        public Path sourceAudio(Clip clip) {
            return null;
        }
    };

    /** Reads {@code <media>/frames/<k>.jpg} and {@code <media>/audio.wav} when the clip media is a folder. */
    static ClipMedia avsbenchFolders() {
        return new ClipMedia() {
            @Override
            public int[] frame(Clip clip, int k) {
                Path f = Path.of(clip.media()).resolve("frames").resolve(k + ".jpg");
                if (!Files.isRegularFile(f)) {
                    return null;
                }
                ImageFiles.Raster r = ImageFiles.read(f);
                int[] px = r.rgb();
                return ImageFiles.resizeNearest(px, r.width(), r.height(), clip.width(), clip.height());
            }

            @Override
            public Audio audio(Clip clip) {
                Path f = Path.of(clip.media()).resolve("audio.wav");
                if (!Files.isRegularFile(f)) {
                    return null;
                }
                int[] rate = new int[1];
                float[] s = WavFiles.readMono(f, rate);
                return new Audio(s, rate[0]);
            }
        };
    }
}
