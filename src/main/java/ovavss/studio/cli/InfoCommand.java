package ovavss.studio.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import ovavss.studio.media.MediaException;
import ovavss.studio.media.MediaInfo;
import ovavss.studio.media.MediaOpener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code info <media>}: probes a media file or AVSBench clip folder and prints what it holds as
 * JSON. The frame count and VFR flag come from the exact PTS table, not from container headers.
 */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Print container, streams, fps, frame count, duration, sample rate and channels as JSON.")
public final class InfoCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "<media>", description = "media file or AVSBench clip folder")
    Path media;

    @Override
    public Integer call() throws Exception {
        MediaInfo info;
        try {
            info = MediaOpener.probe(media);
        } catch (MediaException e) {
            System.err.println("info: " + e.getMessage());
            return StudioCli.EXIT_BAD_INPUT;
        }
        String undecodable = info.hasVideo() ? firstFrameProblem(media) : null;
        if (undecodable != null) {
            // a frame count read from the container is no promise that a frame can be shown
            System.err.println("info: " + media + ": its video cannot be decoded (" + undecodable + ")");
            return StudioCli.EXIT_BAD_INPUT;
        }
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        System.out.println(mapper.writeValueAsString(toJson(mapper, info)));
        return 0;
    }

    /** Null when the first frame decodes, else why it does not. */
    private static String firstFrameProblem(java.nio.file.Path media) {
        try (ovavss.studio.media.MediaSource src = MediaOpener.open(media)) {
            if (src.frames().count() == 0) {
                return "no video frame";
            }
            src.frame(0);
            return null;
        } catch (MediaException | RuntimeException e) {
            String m = e.getMessage();
            return m == null ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
        }
    }

    static ObjectNode toJson(ObjectMapper mapper, MediaInfo info) {
        ObjectNode root = mapper.createObjectNode();
        root.put("path", info.path());
        root.put("container", info.container());
        root.put("avsbenchClip", info.avsbenchClip());
        root.put("durationSeconds", info.durationMicros() / 1e6);
        ArrayNode streams = root.putArray("streams");
        if (info.hasVideo()) {
            ObjectNode v = streams.addObject();
            v.put("type", "video");
            v.put("codec", info.videoCodec());
            v.put("width", info.width());
            v.put("height", info.height());
            v.put("fps", info.averageFps());
            v.put("frameCount", info.frameCount());
            v.put("variableFrameRate", info.variableFrameRate());
        }
        if (info.hasAudio()) {
            ObjectNode a = streams.addObject();
            a.put("type", "audio");
            a.put("codec", info.audioCodec());
            a.put("sampleRate", info.sampleRate());
            a.put("channels", info.channels());
        }
        // Flat copies of the headline figures, for scripts.
        root.put("fps", info.averageFps());
        root.put("frameCount", info.frameCount());
        root.put("variableFrameRate", info.variableFrameRate());
        root.put("sampleRate", info.sampleRate());
        root.put("channels", info.channels());
        return root;
    }
}
