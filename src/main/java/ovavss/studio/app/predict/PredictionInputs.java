package ovavss.studio.app.predict;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import ovavss.studio.avsbench.AvsbenchException;
import ovavss.studio.avsbench.MetadataCsv;
import ovavss.studio.avsbench.SafeNames;

/**
 * The clips a prediction runs over and where each one's output goes. An input is a video file, an
 * AVSBench clip folder ({@code frames/}, {@code audio.wav}), an AVSBench root
 * ({@code <root>/<subset>/<uid>/frames}) or a manifest: a {@code .csv} file with a header that has a
 * {@code path} column (media files or clip folders, relative to the manifest's folder) and
 * optionally a {@code uid} column naming each one's output.
 *
 * <p>Outputs: {@code <subset>/<uid>} for clip folders under a root, {@code <parent>/<uid>} for one
 * clip folder, {@code video/<name>} for media files (the manifest's uid, else the file name without
 * its extension). Two clips that would share an output are refused before anything runs.
 */
public final class PredictionInputs {
    /** Manifests larger than this are refused before parsing (about 2 million short rows). */
    static final long MAX_MANIFEST_BYTES = 256L << 20;

    /**
     * One clip to predict.
     *
     * @param media a media file or an AVSBench clip folder
     * @param key its output folder relative to the output root, '/'-separated
     */
    public record Clip(Path media, String key) {
    }

    private PredictionInputs() {
    }

    /**
     * The clips of {@code input}, sorted by output (stable across runs, so shards and partitions are
     * too), keeping only the clips of {@code split} when it is set (AVSBench roots only).
     *
     * @throws PredictionException when nothing is found, the split cannot be applied, the manifest is
     *     malformed or two clips would write the same output
     */
    public static List<Clip> find(Path input, String split) throws IOException {
        List<Clip> clips;
        if (isManifest(input)) {
            if (split != null) {
                throw new PredictionException("--split applies to an AVSBench root, not to the manifest " + input);
            }
            clips = fromManifest(input);
        } else {
            clips = fromTree(input);
            if (split != null) {
                clips = inSplit(input, split, clips);
            }
        }
        if (clips.isEmpty()) {
            throw new PredictionException(input + ": no video or AVSBench clip folder found"
                    + (split != null ? " in split '" + split + "'" : ""));
        }
        Map<String, Path> byKey = new HashMap<>();
        for (Clip c : clips) {
            Path other = byKey.putIfAbsent(c.key(), c.media());
            if (other != null) {
                throw new PredictionException("two clips would write the same output " + c.key() + ": " + other
                        + " and " + c.media() + " (give the manifest a uid column)");
            }
        }
        List<Clip> sorted = new ArrayList<>(clips);
        sorted.sort((a, b) -> a.key().compareTo(b.key()));
        return List.copyOf(sorted);
    }

    /** A {@code .csv} file is a manifest of media paths. */
    public static boolean isManifest(Path input) {
        return Files.isRegularFile(input) && input.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv");
    }

    private static boolean isClipFolder(Path p) {
        return Files.isDirectory(p.resolve("frames"));
    }

    private static List<Clip> fromTree(Path input) throws IOException {
        if (Files.isRegularFile(input)) {
            return List.of(new Clip(input, "video/" + stem(input)));
        }
        if (isClipFolder(input)) {
            Path parent = input.toAbsolutePath().normalize().getParent();
            String subset = parent != null && parent.getFileName() != null ? parent.getFileName().toString() : "clips";
            return List.of(new Clip(input, subset + "/" + input.getFileName()));
        }
        if (!Files.isDirectory(input)) {
            return List.of();
        }
        List<Path> folders;
        try (Stream<Path> s = Files.walk(input, 3)) {
            folders = s.filter(Files::isDirectory).filter(PredictionInputs::isClipFolder).sorted().toList();
        }
        List<Clip> out = new ArrayList<>();
        for (Path f : folders) {
            out.add(new Clip(f, input.relativize(f).toString().replace('\\', '/')));
        }
        return out;
    }

    private static List<Clip> inSplit(Path root, String split, List<Clip> clips) throws IOException {
        Path csv = root.resolve("metadata.csv");
        if (!Files.isRegularFile(csv)) {
            throw new PredictionException("a split needs an AVSBench root with metadata.csv; none at " + csv);
        }
        Set<String> uids = new HashSet<>();
        for (MetadataCsv.Row r : MetadataCsv.read(csv).rows()) {
            if (split.equals(r.split())) {
                uids.add(r.uid());
            }
        }
        List<Clip> out = new ArrayList<>();
        for (Clip c : clips) {
            if (uids.contains(c.media().getFileName().toString())) {
                out.add(c);
            }
        }
        return out;
    }

    private static List<Clip> fromManifest(Path csv) throws IOException {
        if (Files.size(csv) > MAX_MANIFEST_BYTES) {
            throw new PredictionException(csv + ": a manifest over " + (MAX_MANIFEST_BYTES >> 20) + " MiB is refused");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(csv)))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new PredictionException(csv + ": not UTF-8 text");
        }
        List<MetadataCsv.Record> records;
        try {
            records = MetadataCsv.parse(text.startsWith("\uFEFF") ? text.substring(1) : text);
        } catch (IllegalArgumentException e) {
            throw new PredictionException(csv + ": " + e.getMessage());
        }
        if (records.isEmpty()) {
            throw new PredictionException(csv + ": empty manifest (want a header with a 'path' column)");
        }
        List<String> header = records.get(0).fields();
        int path = column(header, "path");
        int uid = column(header, "uid");
        if (path < 0) {
            throw new PredictionException(csv + ": the header has no 'path' column (got " + String.join(",", header)
                    + ")");
        }
        Path base = csv.toAbsolutePath().getParent();
        List<Clip> out = new ArrayList<>();
        for (MetadataCsv.Record r : records.subList(1, records.size())) {
            List<String> f = r.fields();
            if (f.size() == 1 && f.get(0).isBlank()) {
                continue;
            }
            String p = path < f.size() ? f.get(path).strip() : "";
            if (p.isEmpty()) {
                throw new PredictionException(csv + " line " + r.line() + ": no path");
            }
            Path media = base.resolve(p).normalize();
            String name = uid >= 0 && uid < f.size() && !f.get(uid).isBlank() ? f.get(uid).strip() : stem(media);
            try {
                SafeNames.check("uid", name);
            } catch (AvsbenchException e) {
                throw new PredictionException(csv + " line " + r.line() + ": " + e.getMessage());
            }
            out.add(new Clip(media, "video/" + name));
        }
        return out;
    }

    private static int column(List<String> header, String name) {
        for (int i = 0; i < header.size(); i++) {
            if (header.get(i).strip().equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }

    private static String stem(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
