package ovavss.studio.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import ovavss.studio.annotation.AnnotationException;
import ovavss.studio.annotation.Clip;
import ovavss.studio.annotation.Project;
import ovavss.studio.annotation.ProjectStore;
import ovavss.studio.app.Cancellation;
import ovavss.studio.app.ProgressSink;
import ovavss.studio.audio.PcmSource;
import ovavss.studio.avsbench.AvsbenchException;
import ovavss.studio.avsbench.AvsbenchExporter;
import ovavss.studio.avsbench.ClipMedia;
import ovavss.studio.avsbench.ImageFiles;
import ovavss.studio.media.AudioTrack;
import ovavss.studio.media.MediaException;
import ovavss.studio.media.MediaOpener;
import ovavss.studio.media.MediaSource;
import ovavss.studio.media.VideoFrame;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code export}: writes a project as an AVSBench tree. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Export a project folder to the AVSBench-semantic layout or the S4/MS3 binary layout.")
public final class ExportCommand implements Callable<Integer> {
    enum Layout { semantic, s4, ms3 }

    @Option(names = "--project", required = true, description = "project folder")
    Path project;

    @Option(names = "--out", required = true, description = "output folder (nothing is written outside it)")
    Path out;

    @Option(names = "--layout", defaultValue = "semantic", description = "semantic | s4 | ms3 (default semantic)")
    Layout layout;

    @Option(names = "--size", description = "binary layouts: square mask/frame size (default 224; 0 = native)")
    Integer size;

    @Option(names = "--no-frames", description = "do not decode and write frames")
    boolean noFrames;

    @Option(names = "--no-audio", description = "do not write audio")
    boolean noAudio;

    @Override
    public Integer call() throws Exception {
        try (DecodedClipMedia media = new DecodedClipMedia()) {
            Project p = new ProjectStore().load(project).project();
            AvsbenchExporter ex = new AvsbenchExporter(media);
            ProgressSink progress = pr -> { };
            AvsbenchExporter.Summary s;
            if (layout == Layout.semantic) {
                AvsbenchExporter.SemanticOptions d = AvsbenchExporter.SemanticOptions.defaults();
                s = ex.exportSemantic(p, out, new AvsbenchExporter.SemanticOptions(d.defaultSubset(), d.defaultSplit(),
                        d.jpegQuality(), !noFrames, !noAudio), progress, Cancellation.NEVER);
            } else {
                Integer sz = size == null ? Integer.valueOf(224) : size == 0 ? null : size;
                s = ex.exportBinary(p, out, new AvsbenchExporter.BinaryOptions(
                        layout == Layout.s4 ? AvsbenchExporter.BinaryLayout.S4 : AvsbenchExporter.BinaryLayout.MS3,
                        "test", sz, !noFrames, !noAudio), progress, Cancellation.NEVER);
            }
            System.out.printf(Locale.ROOT, "exported %d clips: %d label frames, %d frames, %d audio files -> %s%n",
                    s.clips(), s.labelFrames(), s.frames(), s.audioFiles(), out);
            return 0;
        } catch (AnnotationException | AvsbenchException e) {
            System.err.println("export: " + e.getMessage());
            return 2;
        }
    }

    /**
     * {@link ClipMedia} over the media decoders, for headless export: keyframe k of a clip is the
     * frame shown at {@code mediaStart + keyframeTimes[k]}; audio is the clip span mixed to mono.
     * Keeps the last opened source (exports walk clip by clip) and must be closed.
     */
    static final class DecodedClipMedia implements ClipMedia, AutoCloseable {
        private String openPath;
        private MediaSource source;

        private MediaSource source(Clip clip) throws IOException {
            if (!clip.media().equals(openPath)) {
                close();
                try {
                    source = MediaOpener.open(Path.of(clip.media()));
                } catch (MediaException e) {
                    throw new IOException("cannot open media of clip '" + clip.id() + "': " + e.getMessage(), e);
                }
                openPath = clip.media();
            }
            return source;
        }

        @Override
        public int[] frame(Clip clip, int k) throws IOException {
            MediaSource s = source(clip);
            if (s.frames().count() == 0) {
                return null;
            }
            long t = Math.round((clip.mediaStart() + clip.keyframeTimes().get(k)) * 1e6);
            try {
                VideoFrame f = s.frame(s.frames().indexAt(t));
                int[] px = f.argb().clone();
                for (int i = 0; i < px.length; i++) {
                    px[i] &= 0xFFFFFF;
                }
                return ImageFiles.resizeNearest(px, f.width(), f.height(), clip.width(), clip.height());
            } catch (MediaException e) {
                throw new IOException("cannot decode frame " + k + " of clip '" + clip.id() + "': " + e.getMessage(), e);
            }
        }

        @Override
        public Audio audio(Clip clip) throws IOException {
            MediaSource s = source(clip);
            AudioTrack a = s.audio();
            if (a == null) {
                return null;
            }
            try {
                MediaOpener.awaitAudio(s);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while decoding audio", e);
            }
            long start = Math.round(clip.mediaStart() * a.sampleRate());
            int len = (int) Math.round(clip.duration() * a.sampleRate());
            float[] out = new float[len];
            a.read(PcmSource.MONO_MIX, start, out, 0, len);
            return new Audio(out, a.sampleRate());
        }

        @Override
        public void close() {
            if (source != null) {
                source.close();
                source = null;
                openPath = null;
            }
        }
    }
}
