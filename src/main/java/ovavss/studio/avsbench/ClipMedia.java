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
