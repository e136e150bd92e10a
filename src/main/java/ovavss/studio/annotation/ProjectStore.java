package ovavss.studio.annotation;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.zip.CRC32;
import ovavss.studio.files.AtomicFiles;
import ovavss.studio.files.Messages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and writes a project folder:
 * <pre>
 *   &lt;dir&gt;/project.json        Jackson manifest (schemaVersion, vocabulary, clips, objects)
 *   &lt;dir&gt;/project.json.bak    the previous manifest
 *   &lt;dir&gt;/masks/&lt;gen&gt;.rle     mask payload of one save generation (RLE, varints, CRC in manifest)
 * </pre>
 * A save writes a new payload file, then a temp manifest (both flushed to disk), moves the old
 * manifest to {@code .bak} and moves the temp manifest into place. Payload files are never
 * overwritten, so whichever manifest survives a crash still finds its payload; {@link #load}
 * falls back to (and restores) {@code .bak} when the main manifest is missing or unreadable.
 * Payloads referenced by neither manifest are deleted after a save.
 *
 * <p>Instances are thread-safe; saves to one folder are serialised.
 */
public final class ProjectStore {
    private static final Logger LOG = LoggerFactory.getLogger(ProjectStore.class);

    /** Manifest schema written by this version. */
    public static final int SCHEMA_VERSION = 1;
    public static final String MANIFEST = "project.json";
    public static final String BACKUP = "project.json.bak";
    public static final String MASK_DIR = "masks";
    private static final int PAYLOAD_MAGIC = 0x4F564D31; // "OVM1"

    /**
     * Upgrades a manifest tree from version {@code k} to {@code k + 1}. Register one step per old
     * schema version when the format changes; {@link #load} applies them in order.
     */
    private static final Map<Integer, UnaryOperator<ObjectNode>> MIGRATIONS = new TreeMap<>();

    private final ObjectMapper mapper = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);
    private final boolean fsync;

    /** @param fsync force files to disk before they are moved into place (off only for tests of speed) */
    public ProjectStore(boolean fsync) {
        this.fsync = fsync;
    }

    public ProjectStore() {
        this(true);
    }

    /** Result of {@link #load}: the project and whether the backup had to be used. */
    public record Loaded(Project project, boolean recoveredFromBackup, String problem) {
    }

    /** Upgrades manifests of schema {@code fromVersion} to {@code fromVersion + 1}. */
    public static synchronized void registerMigration(int fromVersion, UnaryOperator<ObjectNode> step) {
        MIGRATIONS.put(fromVersion, step);
    }

    // ---------------------------------------------------------------- save

    /**
     * Saves atomically. On return the project is durable in {@code dir}.
     *
     * @throws IOException when the folder cannot be written; the previous save stays intact
     */
    public synchronized void save(Project project, Path dir) throws IOException {
        Path masks = dir.resolve(MASK_DIR);
        Files.createDirectories(masks);
        long gen = nextGeneration(masks);
        String maskFile = MASK_DIR + "/" + gen + ".rle";

        List<Mask> maskList = new ArrayList<>();
        Dto.Manifest m = toDto(project, maskList);
        byte[] payload = encodeMasks(maskList);
        CRC32 crc = new CRC32();
        crc.update(payload);
        m.masks = new Dto.MaskRef();
        m.masks.file = maskFile;
        m.masks.count = maskList.size();
        m.masks.bytes = payload.length;
        m.masks.crc32 = Long.toHexString(crc.getValue());

        AtomicFiles.write(dir.resolve(maskFile), payload, fsync);
        Path manifest = dir.resolve(MANIFEST);
        Path tmp = dir.resolve(MANIFEST + ".tmp");
        write(tmp, mapper.writeValueAsBytes(m));
        if (Files.exists(manifest)) {
            AtomicFiles.move(manifest, dir.resolve(BACKUP));
        }
        AtomicFiles.move(tmp, manifest);
        collectGarbage(dir);
    }

    private long nextGeneration(Path masks) throws IOException {
        long max = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(masks)) {
            for (Path p : ds) {
                max = Math.max(max, generationOf(p.getFileName().toString()));
            }
        }
        return max + 1;
    }

    private static long generationOf(String fileName) {
        int dot = fileName.indexOf('.');
        if (dot <= 0) {
            return 0;
        }
        try {
            return Long.parseLong(fileName.substring(0, dot));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private void write(Path file, byte[] data) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(data);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            if (fsync) {
                ch.force(true);
            }
        }
    }

    /** Deletes payloads that neither manifest references, and stale temp files. */
    private void collectGarbage(Path dir) {
        Set<String> keep = new HashSet<>();
        for (String name : new String[] {MANIFEST, BACKUP}) {
            try {
                JsonNode n = mapper.readTree(dir.resolve(name).toFile());
                JsonNode f = n.path("masks").path("file");
                if (f.isTextual()) {
                    keep.add(Path.of(f.asText()).getFileName().toString());
                }
            } catch (IOException e) {
                // unreadable or missing manifest: nothing to keep for it
            }
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir.resolve(MASK_DIR))) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (!keep.contains(n) && (n.endsWith(".rle") || n.endsWith(".tmp"))) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            LOG.warn("could not clean old mask payloads in {}: {}", dir, e.toString());
        }
    }

    // ---------------------------------------------------------------- load

    /**
     * Loads a project folder, falling back to {@code project.json.bak} (and restoring it as the main
     * manifest) when the main manifest or its payload is missing or unreadable.
     *
     * @throws AnnotationException when neither manifest can be read
     */
    public synchronized Loaded load(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new AnnotationException("'" + dir + "' is not a project folder");
        }
        String mainProblem;
        try {
            return new Loaded(read(dir, dir.resolve(MANIFEST)), false, null);
        } catch (NoSuchFileException e) {
            mainProblem = MANIFEST + " is missing";
        } catch (NewerProjectException e) {
            // never fall back to an older backup: restoring it would overwrite the newer file
            throw new AnnotationException("cannot open project '" + dir + "': " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            mainProblem = MANIFEST + " is unreadable (" + Messages.oneLine(e) + ")";
        }
        Path bak = dir.resolve(BACKUP);
        if (!Files.exists(bak)) {
            throw new AnnotationException("cannot open project '" + dir + "': " + mainProblem);
        }
        try {
            Project p = read(dir, bak);
            LOG.warn("{} in {}; restored the previous save from {}", mainProblem, dir, BACKUP);
            try {
                Path tmp = dir.resolve(MANIFEST + ".tmp");
                Files.copy(bak, tmp, StandardCopyOption.REPLACE_EXISTING);
                AtomicFiles.move(tmp, dir.resolve(MANIFEST));
            } catch (IOException e) {
                LOG.warn("could not restore {} from {}: {}", MANIFEST, BACKUP, e.toString());
            }
            return new Loaded(p, true, mainProblem);
        } catch (IOException | RuntimeException e) {
            throw new AnnotationException("cannot open project '" + dir + "': " + mainProblem
                    + ", and the backup is unreadable too (" + Messages.oneLine(e) + ")", e);
        }
    }

    private Project read(Path dir, Path manifestFile) throws IOException {
        byte[] bytes = Files.readAllBytes(manifestFile);
        JsonNode tree = mapper.readTree(bytes);
        if (tree == null || !tree.isObject()) {
            throw new IOException("not a JSON object");
        }
        Dto.Manifest m = mapper.treeToValue(migrate((ObjectNode) tree), Dto.Manifest.class);
        if (m.masks == null || m.masks.file == null) {
            throw new IOException("manifest names no mask payload");
        }
        Path payloadFile = dir.resolve(m.masks.file).normalize();
        if (!payloadFile.startsWith(dir.resolve(MASK_DIR).normalize())) {
            throw new IOException("mask payload path escapes the project folder");
        }
        byte[] payload = Files.readAllBytes(payloadFile);
        CRC32 crc = new CRC32();
        crc.update(payload);
        if (payload.length != m.masks.bytes || !Long.toHexString(crc.getValue()).equals(m.masks.crc32)) {
            throw new IOException("mask payload " + m.masks.file + " is damaged (checksum mismatch)");
        }
        List<Mask> masks = decodeMasks(payload);
        if (masks.size() != m.masks.count) {
            throw new IOException("mask payload holds " + masks.size() + " masks, manifest expects " + m.masks.count);
        }
        return fromDto(m, masks);
    }

    /** A project file of a later schema than this version reads. */
    private static final class NewerProjectException extends AnnotationException {
        NewerProjectException(String message) {
            super(message);
        }
    }

    private static ObjectNode migrate(ObjectNode tree) throws IOException {
        JsonNode v = tree.get("schemaVersion");
        if (v == null || !v.canConvertToInt()) {
            throw new IOException("no schemaVersion");
        }
        int version = v.asInt();
        if (version > SCHEMA_VERSION) {
            throw new NewerProjectException("this project was written by a newer version (schema " + version
                    + "; this version reads up to " + SCHEMA_VERSION + ")");
        }
        ObjectNode t = tree;
        synchronized (ProjectStore.class) {
            while (version < SCHEMA_VERSION) {
                UnaryOperator<ObjectNode> step = MIGRATIONS.get(version);
                if (step == null) {
                    throw new IOException("no migration from schema " + version);
                }
                t = step.apply(t);
                version++;
                t.put("schemaVersion", version);
            }
        }
        return t;
    }

    // ---------------------------------------------------------------- DTO mapping

    private static Dto.Manifest toDto(Project p, List<Mask> masks) {
        Dto.Manifest m = new Dto.Manifest();
        m.schemaVersion = SCHEMA_VERSION;
        m.name = p.name();
        m.properties = new LinkedHashMap<>(p.properties());
        m.labelSpace = p.vocabulary().labelSpace();
        m.vocabulary = new ArrayList<>();
        for (VocabularyEntry e : p.vocabulary().entries()) {
            Dto.ClassDto c = new Dto.ClassDto();
            c.name = e.name();
            c.color = String.format(Locale.ROOT, "#%06x", e.rgb());
            c.classIndex = e.classIndex();
            c.split = e.split().name();
            c.synonyms = e.synonyms().isEmpty() ? null : e.synonyms();
            m.vocabulary.add(c);
        }
        m.clips = new ArrayList<>();
        for (Clip clip : p.clips()) {
            Dto.ClipDto c = new Dto.ClipDto();
            c.id = clip.id();
            c.media = clip.media();
            c.mediaStart = clip.mediaStart();
            c.duration = clip.duration();
            c.keyframeTimes = clip.keyframeTimes();
            c.width = clip.width();
            c.height = clip.height();
            c.attributes = clip.attributes().isEmpty() ? null : new TreeMap<>(clip.attributes());
            c.objects = new ArrayList<>();
            for (SoundingObject o : clip.objects()) {
                Dto.ObjectDto od = new Dto.ObjectDto();
                od.id = o.id();
                od.label = o.label();
                od.zOrder = o.zOrder();
                od.frames = new ArrayList<>();
                for (Map.Entry<Integer, ObjectFrame> e : o.frames().entrySet()) {
                    Dto.FrameDto f = new Dto.FrameDto();
                    f.keyframe = e.getKey();
                    f.sound = e.getValue().sound().name();
                    f.provenance = e.getValue().provenance().name();
                    f.score = e.getValue().score();
                    f.mask = masks.size();
                    masks.add(e.getValue().mask());
                    od.frames.add(f);
                }
                c.objects.add(od);
            }
            m.clips.add(c);
        }
        return m;
    }

    private static Project fromDto(Dto.Manifest m, List<Mask> masks) throws IOException {
        List<VocabularyEntry> entries = new ArrayList<>();
        for (Dto.ClassDto c : nn(m.vocabulary)) {
            entries.add(new VocabularyEntry(c.name, parseColor(c.color), c.classIndex,
                    c.split == null ? ClassSplit.UNTAGGED : ClassSplit.valueOf(c.split), c.synonyms));
        }
        List<Clip> clips = new ArrayList<>();
        for (Dto.ClipDto c : nn(m.clips)) {
            Clip.checkLimits(String.valueOf(c.id), nn(c.keyframeTimes).size(), c.width, c.height);
            List<SoundingObject> objects = new ArrayList<>();
            for (Dto.ObjectDto o : nn(c.objects)) {
                TreeMap<Integer, ObjectFrame> frames = new TreeMap<>();
                for (Dto.FrameDto f : nn(o.frames)) {
                    if (f.mask < 0 || f.mask >= masks.size()) {
                        throw new IOException("mask reference " + f.mask + " out of range");
                    }
                    frames.put(f.keyframe, new ObjectFrame(masks.get(f.mask), SoundFlag.valueOf(f.sound),
                            Provenance.valueOf(f.provenance), f.score));
                }
                objects.add(new SoundingObject(o.id, o.label, o.zOrder, frames));
            }
            clips.add(new Clip(c.id, c.media, c.mediaStart, c.duration, nn(c.keyframeTimes), c.width, c.height,
                    objects, c.attributes));
        }
        return new Project(m.name == null ? "" : m.name, new Vocabulary(entries, m.labelSpace), clips, m.properties);
    }

    private static <T> List<T> nn(List<T> l) {
        return l == null ? List.of() : l;
    }

    private static int parseColor(String s) {
        if (s == null || !s.matches("#[0-9a-fA-F]{6}")) {
            throw new AnnotationException("bad colour '" + s + "' (expected #rrggbb)");
        }
        return Integer.parseInt(s.substring(1), 16);
    }

    // ---------------------------------------------------------------- payload

    /** Encodes masks as: magic, count, then per mask width, height, run count, runs (all varints). */
    static byte[] encodeMasks(List<Mask> masks) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream(64 + masks.size() * 64);
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(bos));
        out.writeInt(PAYLOAD_MAGIC);
        writeVar(out, masks.size());
        for (Mask m : masks) {
            writeVar(out, m.width());
            writeVar(out, m.height());
            int[] runs = m.runs();
            writeVar(out, runs.length);
            for (int r : runs) {
                writeVar(out, r);
            }
        }
        out.flush();
        return bos.toByteArray();
    }

    static List<Mask> decodeMasks(byte[] payload) throws IOException {
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(payload));
        if (in.readInt() != PAYLOAD_MAGIC) {
            throw new IOException("not a mask payload");
        }
        int n = readVar(in);
        List<Mask> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int w = readVar(in);
            int h = readVar(in);
            int k = readVar(in);
            if (k < 1 || k > w * h + 1) {
                throw new IOException("bad run count");
            }
            int[] runs = new int[k];
            for (int j = 0; j < k; j++) {
                runs[j] = readVar(in);
            }
            out.add(Mask.fromRuns(w, h, runs));
        }
        return out;
    }

    private static void writeVar(OutputStream out, int v) throws IOException {
        while ((v & ~0x7F) != 0) {
            out.write((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.write(v);
    }

    private static int readVar(InputStream in) throws IOException {
        int v = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("truncated mask payload");
            }
            v |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw new IOException("bad varint in mask payload");
    }

    /** Jackson DTOs of the manifest, kept apart from the domain types. */
    static final class Dto {
        private Dto() {
        }

        public static final class Manifest {
            public int schemaVersion;
            public String name;
            public Map<String, String> properties;
            public List<String> labelSpace;
            public List<ClassDto> vocabulary;
            public List<ClipDto> clips;
            public MaskRef masks;
        }

        public static final class MaskRef {
            public String file;
            public int count;
            public long bytes;
            public String crc32;
        }

        public static final class ClassDto {
            public String name;
            public String color;
            public Integer classIndex;
            public String split;
            public List<String> synonyms;
        }

        public static final class ClipDto {
            public String id;
            public String media;
            public double mediaStart;
            public double duration;
            public List<Double> keyframeTimes;
            public int width;
            public int height;
            public Map<String, String> attributes;
            public List<ObjectDto> objects;
        }

        public static final class ObjectDto {
            public String id;
            public String label;
            public int zOrder;
            public List<FrameDto> frames;
        }

        public static final class FrameDto {
            public int keyframe;
            public String sound;
            public String provenance;
            public double score;
            public int mask;
        }
    }
}
