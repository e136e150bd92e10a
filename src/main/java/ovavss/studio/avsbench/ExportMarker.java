package ovavss.studio.avsbench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import ovavss.studio.files.AtomicFiles;
import ovavss.studio.files.Messages;

/**
 * {@code ovavss-export.json} at the root of every tree this app exports: written first saying
 * {@code "complete": false} and replaced last, after {@code metadata.csv}, saying {@code true}. A
 * tree whose marker still says false is an export that was killed or failed half-way (its hidden
 * staging folder, say), and reading it as a dataset is refused. Trees without the marker (the
 * official releases) are not ours and are read as they are.
 */
public final class ExportMarker {
    public static final String FILE = "ovavss-export.json";
    private static final String FORMAT = "ovavss-export/1";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ExportMarker() {
    }

    /** Marks {@code root} as an export under way. */
    static void begin(Path root, String layout) throws IOException {
        write(root, layout, false, -1);
    }

    /** Marks {@code root} as a finished export of {@code clips} clips; the last file written. */
    static void finish(Path root, String layout, int clips) throws IOException {
        write(root, layout, true, clips);
    }

    private static void write(Path root, String layout, boolean complete, int clips) throws IOException {
        ObjectNode o = JSON.createObjectNode();
        o.put("format", FORMAT);
        o.put("layout", layout);
        o.put("complete", complete);
        if (clips >= 0) {
            o.put("clips", clips);
        }
        AtomicFiles.write(root.resolve(FILE), JSON.writeValueAsBytes(o));
    }

    /**
     * Refuses a tree this app began to export and did not finish.
     *
     * @throws AvsbenchException naming the root
     */
    public static void checkComplete(Path root) {
        Path f = root.resolve(FILE);
        if (!Files.exists(f)) {
            return;
        }
        JsonNode n;
        try {
            n = JSON.readTree(f.toFile());
        } catch (IOException e) {
            throw new AvsbenchException(f + " is unreadable (" + Messages.oneLine(e) + "); is this a finished export?");
        }
        if (n == null || !n.path("complete").asBoolean(false)) {
            throw new AvsbenchException(root + " is an interrupted export (" + FILE
                    + " says it never completed); export it again");
        }
    }
}
