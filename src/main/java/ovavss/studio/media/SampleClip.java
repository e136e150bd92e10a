package ovavss.studio.media;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import ovavss.studio.files.AtomicFiles;

/**
 * The bundled sample clip ({@code ovavss/studio/sample/sample.mp4}, made by
 * {@link SampleClipGenerator#sample()}): 10 s, 320×240, 25 fps H.264 + AAC stereo. A red circle
 * sounds at 440 Hz (1–4 s, 6.5–8.5 s, left), a green square at 660 Hz (3–7 s, right), a blue
 * triangle is silent; a sounding shape pulses. FFmpeg needs a real file, so the resource is
 * copied out of the jar.
 */
public final class SampleClip {
    /** Class-path location of the clip. */
    public static final String RESOURCE = "/ovavss/studio/sample/sample.mp4";

    private static Path extracted;

    private SampleClip() { }

    /** Copies the clip to {@code target} (a file path; written via a temp file and moved). */
    public static Path extractTo(Path target) throws IOException {
        try (InputStream in = SampleClip.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException("the sample clip " + RESOURCE + " is missing from the class path");
            }
            AtomicFiles.writeWith(target, tmp -> Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING));
        }
        return target;
    }

    /**
     * The clip as a file: extracted once per JVM into a temp folder (deleted on exit).
     *
     * @throws UncheckedIOException when the temp folder cannot be written
     */
    public static synchronized Path path() {
        if (extracted == null || !Files.isRegularFile(extracted)) {
            try {
                Path dir = Files.createTempDirectory("ovavss-sample");
                Path file = extractTo(dir.resolve("sample.mp4"));
                file.toFile().deleteOnExit();
                dir.toFile().deleteOnExit();
                extracted = file;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot extract the sample clip: " + e.getMessage(), e);
            }
        }
        return extracted;
    }
}
