package ovavss.studio.media;

import ovavss.studio.cli.CliRun;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code info <media>} through the real command line. */
class InfoCommandTest {
    @TempDir
    Path dir;



    @Test
    void printsJsonForTheSample() throws Exception {
        CliRun r = CliRun.of("info", SampleClip.path().toString());
        assertEquals(0, r.code(), r.err());
        // The JSON object is the whole output apart from any log lines the logging setup may add.
        String json = r.out().substring(r.out().indexOf('{'), r.out().lastIndexOf('}') + 1);
        JsonNode n = new ObjectMapper().readTree(json);
        assertEquals(250, n.get("frameCount").asInt());
        assertEquals(25.0, n.get("fps").asDouble(), 1e-9);
        assertEquals(10.0, n.get("durationSeconds").asDouble(), 0.05);
        assertEquals(44_100, n.get("sampleRate").asInt());
        assertEquals(2, n.get("channels").asInt());
        assertEquals(false, n.get("variableFrameRate").asBoolean());
        assertTrue(n.get("container").asText().contains("mp4"));
        assertEquals(2, n.get("streams").size());
        assertEquals("h264", n.get("streams").get(0).get("codec").asText());
    }

    @Test
    void badInputExitsWithTwoAndAMessage() throws Exception {
        Path empty = Files.createFile(dir.resolve("empty.mkv"));
        CliRun r = CliRun.of("info", empty.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("empty"), r.err());
    }
}
