package ovavss.studio.avsbench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A {@code label2idx.json} label space: ordered names, background first; the class index of a
 * name is its key position (the official code never reads the values, see AVSBENCH.md §1.3).
 * Works for the standard 71 AVSBench names and for any dataset-specific file.
 */
public final class LabelSet {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final LabelSet STANDARD = new LabelSet(AvsbenchClasses.NAMES);

    private final List<String> names;
    private final Map<String, Integer> index = new HashMap<>();

    public LabelSet(List<String> names) {
        if (names.isEmpty() || !names.get(0).equals("background")) {
            throw new AvsbenchException("a label set must start with 'background'");
        }
        if (names.size() > 256) {
            throw new AvsbenchException("at most 256 labels fit 8-bit label maps, got " + names.size());
        }
        this.names = List.copyOf(names);
        for (int i = 0; i < this.names.size(); i++) {
            if (index.put(this.names.get(i), i) != null) {
                throw new AvsbenchException("label '" + this.names.get(i) + "' appears twice");
            }
        }
    }

    /** The standard AVSBench-semantic space (71 names). */
    public static LabelSet standard() {
        return STANDARD;
    }

    /** Reads a {@code label2idx.json}: a JSON object whose key order defines the indices. */
    public static LabelSet read(Path file) {
        JsonNode n;
        try {
            n = MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new AvsbenchException("cannot read " + file + ": " + ovavss.studio.files.Messages.oneLine(e), e);
        }
        if (n == null || !n.isObject() || n.isEmpty()) {
            throw new AvsbenchException(file + " is not a label2idx JSON object");
        }
        List<String> names = new ArrayList<>();
        java.util.Set<Integer> values = new java.util.HashSet<>();
        Iterator<Map.Entry<String, JsonNode>> it = n.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            // the official file maps each name to its 1-based index; key order is what the loaders use
            if (!e.getValue().isIntegralNumber() || !values.add(e.getValue().asInt())) {
                throw new AvsbenchException(file + ": the value of '" + e.getKey() + "' is "
                        + (e.getValue().isIntegralNumber() ? "repeated" : "not a whole number") + " ("
                        + e.getValue() + "); label2idx maps each class name to its own index");
            }
            names.add(e.getKey());
        }
        if (!names.get(0).equals("background")) {
            throw new AvsbenchException(file + ": the first key must be 'background', found '" + names.get(0) + "'");
        }
        return new LabelSet(names);
    }

    /** Writes {@code label2idx.json} with 1-based values, as in the public copies. */
    public void write(Path file) throws IOException {
        ObjectNode o = MAPPER.createObjectNode();
        for (int i = 0; i < names.size(); i++) {
            o.put(names.get(i), i + 1);
        }
        Files.write(file, MAPPER.writeValueAsBytes(o));
    }

    public List<String> names() {
        return names;
    }

    public int size() {
        return names.size();
    }

    public String name(int i) {
        return names.get(i);
    }

    /** Index of a name, or -1. */
    public int indexOf(String name) {
        Integer i = index.get(name);
        return i == null ? -1 : i;
    }

    /** True when this is exactly the standard AVSBench space. */
    public boolean isStandard() {
        return names.equals(AvsbenchClasses.NAMES);
    }

    public Palette.Decoder decoder() {
        return new Palette.Decoder(names.size());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabelSet l && l.names.equals(names);
    }

    @Override
    public int hashCode() {
        return names.hashCode();
    }
}
