package ovavss.studio.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import ovavss.studio.files.FileTrees;
import ovavss.studio.annotation.Clip;
import ovavss.studio.annotation.Mask;
import ovavss.studio.annotation.MaskOps;
import ovavss.studio.annotation.ObjectFrame;
import ovavss.studio.annotation.Project;
import ovavss.studio.annotation.ProjectStore;
import ovavss.studio.annotation.SoundFlag;
import ovavss.studio.annotation.SoundingObject;
import ovavss.studio.avsbench.AvsbenchImporter;
import ovavss.studio.avsbench.LabelSet;
import ovavss.studio.avsbench.WavFiles;
import ovavss.studio.media.SampleClip;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The error contract over every command, one malformed input at a time: exit status 2, exactly
 * one line on stderr that names the input or option at fault, no stack trace, and nothing in the
 * case's folder changed (inputs untouched, no output or half-built staging folder left behind).
 *
 * <p>Each case gets its own folder holding its inputs and where its output would go, so "nothing
 * changed" is one comparison of the folder's tree before and after.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputContractTest {
    @TempDir
    static Path tmp;

    /** Shared, read-only fixtures: copied into a case folder when a case damages them. */
    private Path sampleMp4;
    private Path tinyBundle;
    private Path project;
    private Path dataset;
    private Path wav;

    private static final Pattern STACK_TRACE = Pattern.compile(
            "(?m)^\\s+at [\\w$.]+\\(|\\b(java|javax|ovavss|picocli)\\.[\\w.$]+(Exception|Error)\\b");

    private record Invocation(List<String> args) {
    }

    @FunctionalInterface
    private interface Setup {
        Invocation in(Path dir) throws Exception;
    }

    private record Case(String name, String mention, Setup setup) {
    }

    @BeforeAll
    void fixtures() throws Exception {
        Path shared = tmp.resolve("shared");
        Files.createDirectories(shared);
        sampleMp4 = SampleClip.extractTo(shared.resolve("sample.mp4"));
        tinyBundle = Path.of("src/test/resources/bundles/tiny").toAbsolutePath();
        float[] tone = new float[16000];
        for (int i = 0; i < tone.length; i++) {
            tone[i] = (float) (0.3 * Math.sin(2 * Math.PI * 440 * i / 16000.0));
        }
        wav = shared.resolve("tone.wav");
        WavFiles.writePcm16(wav, tone, 16000);
        project = projectOn(sampleMp4, shared.resolve("project"), 2);
        dataset = shared.resolve("dataset");
        CliRun r = CliRun.of("export", "--project", project.toString(), "--out", dataset.toString());
        assertEquals(0, r.code(), r.err());
    }

    private static Path projectOn(Path media, Path dir, int keyframes) throws IOException {
        int w = 80;
        int h = 60;
        Mask box = MaskOps.polygon(w, h, new double[] {10, 10, 40, 10, 40, 40, 10, 40});
        TreeMap<Integer, ObjectFrame> frames = new TreeMap<>();
        frames.put(0, ObjectFrame.human(box, SoundFlag.SOUNDING));
        Clip clip = new Clip("clip0", media.toString(), 0, keyframes, Clip.defaultKeyframes(keyframes), w, h,
                List.of(new SoundingObject("o1", "dog", 0, frames)), Map.of("split", "test"));
        Project p = new Project("contract", AvsbenchImporter.vocabularyFor(LabelSet.standard()), List.of(clip),
                Map.of());
        new ProjectStore().save(p, dir);
        return dir;
    }

    private static Invocation args(Object... parts) {
        List<String> a = new ArrayList<>();
        for (Object o : parts) {
            a.add(o.toString());
        }
        return new Invocation(a);
    }

    private static Path write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text);
    }

    // ---- forged WAV files -------------------------------------------------------------------

    /** A PCM WAV whose header says what the arguments say, followed by {@code dataBytes} of silence. */
    private static Path forgedWav(Path file, int format, int channels, long rate, int bits, long declaredData,
            int dataBytes) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(44 + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + dataBytes);
        b.put("WAVE".getBytes(StandardCharsets.US_ASCII));
        b.put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16);
        b.putShort((short) format).putShort((short) channels).putInt((int) rate);
        b.putInt((int) (rate * channels * Math.max(bits, 8) / 8)).putShort((short) (channels * Math.max(bits, 8) / 8));
        b.putShort((short) bits);
        b.put("data".getBytes(StandardCharsets.US_ASCII)).putInt((int) declaredData);
        Files.createDirectories(file.getParent());
        return Files.write(file, b.array());
    }

    // ---- forged PNG files -------------------------------------------------------------------

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        ByteBuffer len = ByteBuffer.allocate(4).putInt(data.length);
        out.writeBytes(len.array());
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(t);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    /** An 8-bit RGB PNG that declares {@code w}×{@code h} but carries one deflated row only. */
    private static byte[] pngDeclaring(int w, int h) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        chunk(out, "IHDR", ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) 8).put((byte) 2)
                .put((byte) 0).put((byte) 0).put((byte) 0).array());
        Deflater d = new Deflater();
        d.setInput(new byte[1 + 3 * Math.min(w, 4096)]);
        d.finish();
        byte[] buf = new byte[65536];
        int n = d.deflate(buf);
        chunk(out, "IDAT", java.util.Arrays.copyOf(buf, n));
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    // ---- the cases --------------------------------------------------------------------------

    private List<Case> cases() {
        List<Case> c = new ArrayList<>();
        // usage: commands and options
        c.add(new Case("unknown option", "--bogus", d -> args("info", sampleMp4, "--bogus")));
        c.add(new Case("missing required option", "--out", d -> args("export", "--project", project)));
        c.add(new Case("no arguments to predict", "predict", d -> args("predict")));
        c.add(new Case("no benchmark name", "bench", d -> args("bench")));
        c.add(new Case("unknown benchmark", "nosuch", d -> args("bench", "nosuch")));
        c.add(new Case("two media for info", "info", d -> args("info", sampleMp4, sampleMp4)));
        c.add(new Case("features without --out", "--out", d -> args("features", wav)));
        // predict options
        String[] shards = {"3/2", "abc", "1/0", "-1/2", "2/2", "1/2/3", "/"};
        for (String s : shards) {
            c.add(new Case("predict --shard " + s, "--shard", d -> args("predict", sampleMp4, "--model", tinyBundle,
                    "--out", d.resolve("out"), "--shard", s)));
        }
        for (String t : new String[] {"-1", "2", "NaN", "Infinity", "abc", "1.5"}) {
            c.add(new Case("predict --threshold " + t, "--threshold", d -> args("predict", sampleMp4, "--model",
                    tinyBundle, "--out", d.resolve("out"), "--threshold", t)));
        }
        c.add(new Case("predict --device tpu", "tpu", d -> args("predict", sampleMp4, "--model", tinyBundle,
                "--out", d.resolve("out"), "--device", "tpu")));
        c.add(new Case("predict --precision half", "half", d -> args("predict", sampleMp4, "--model", tinyBundle,
                "--out", d.resolve("out"), "--precision", "half")));
        c.add(new Case("predict --vocab missing", "names.txt", d -> args("predict", sampleMp4, "--model",
                tinyBundle, "--out", d.resolve("out"), "--vocab", d.resolve("names.txt"))));
        c.add(new Case("predict --vocab empty", "names.txt", d -> args("predict", sampleMp4, "--model", tinyBundle,
                "--out", d.resolve("out"), "--vocab", write(d.resolve("names.txt"), ""))));
        c.add(new Case("predict --vocab blank lines", "names.txt", d -> args("predict", sampleMp4, "--model",
                tinyBundle, "--out", d.resolve("out"), "--vocab", write(d.resolve("names.txt"), " \n\t\n\n"))));
        c.add(new Case("predict --vocab a folder", "vocab", d -> args("predict", sampleMp4, "--model", tinyBundle,
                "--out", d.resolve("out"), "--vocab", Files.createDirectories(d.resolve("vocab")))));
        c.add(new Case("predict missing input", "nope.mp4", d -> args("predict", d.resolve("nope.mp4"), "--model",
                tinyBundle, "--out", d.resolve("out"))));
        c.add(new Case("predict empty input", "empty.mp4", d -> args("predict",
                Files.createFile(d.resolve("empty.mp4")), "--model", tinyBundle, "--out", d.resolve("out"))));
        c.add(new Case("predict garbage input", "junk.mp4", d -> args("predict",
                Files.write(d.resolve("junk.mp4"), new byte[5000]), "--model", tinyBundle, "--out", d.resolve("out"))));
        c.add(new Case("predict --model missing", "nobundle", d -> args("predict", sampleMp4, "--model",
                d.resolve("nobundle"), "--out", d.resolve("out"))));
        c.add(new Case("predict --model a file", "bundle.txt", d -> args("predict", sampleMp4, "--model",
                write(d.resolve("bundle.txt"), "x"), "--out", d.resolve("out"))));
        c.add(new Case("predict --out an existing file", "taken", d -> args("predict", sampleMp4, "--model",
                tinyBundle, "--out", write(d.resolve("taken"), "mine"))));
        c.add(new Case("predict --out a device", "/dev/null", d -> args("predict", sampleMp4, "--model", tinyBundle,
                "--out", "/dev/null")));
        c.add(new Case("predict --out the input", "in.mp4", d -> {
            Path in = Files.copy(sampleMp4, d.resolve("in.mp4"));
            return args("predict", in, "--model", tinyBundle, "--out", in);
        }));
        c.add(new Case("predict --out non-empty folder", "full", d -> {
            write(d.resolve("full/keep.txt"), "mine");
            return args("predict", sampleMp4, "--model", tinyBundle, "--out", d.resolve("full"));
        }));
        // bundles
        bundleCase(c, "bundle.json missing", "bundle.json", b -> Files.delete(b.resolve("bundle.json")));
        bundleCase(c, "bundle.json not JSON", "bundle.json", b -> write(b.resolve("bundle.json"), "{ not json"));
        bundleCase(c, "bundle.json empty", "bundle.json", b -> write(b.resolve("bundle.json"), ""));
        bundleCase(c, "bundle format unknown", "format", b -> edit(b, "\"ovavss-bundle/1\"", "\"ovavss-bundle/9\""));
        bundleCase(c, "frames_per_clip 1,000,000", "frames_per_clip",
                b -> edit(b, "\"frames_per_clip\": 5", "\"frames_per_clip\": 1000000"));
        bundleCase(c, "frames_per_clip 0", "frames_per_clip",
                b -> edit(b, "\"frames_per_clip\": 5", "\"frames_per_clip\": 0"));
        bundleCase(c, "queries -1", "queries", b -> edit(b, "\"queries\": 6", "\"queries\": -1"));
        bundleCase(c, "queries 10^7", "queries", b -> edit(b, "\"queries\": 6", "\"queries\": 10000000"));
        bundleCase(c, "image max_size 100000", "max_size", b -> edit(b, "\"max_size\": 128", "\"max_size\": 100000"));
        bundleCase(c, "audio sample_rate 0", "sample_rate", b -> edit(b, "\"sample_rate\": 16000", "\"sample_rate\": 0"));
        bundleCase(c, "audio mel_bins 100000", "mel_bins", b -> edit(b, "\"mel_bins\": 64", "\"mel_bins\": 100000"));
        bundleCase(c, "clip context_length 0", "context_length",
                b -> edit(b, "\"context_length\": 77", "\"context_length\": 0"));
        bundleCase(c, "clip input_size 10^6", "input_size",
                b -> edit(b, "\"input_size\": 16", "\"input_size\": 1000000"));
        bundleCase(c, "segmenter.pt missing", "segmenter.pt", b -> Files.delete(b.resolve("segmenter.pt")));
        bundleCase(c, "segmenter.pt garbage", "segmenter.pt", b -> Files.write(b.resolve("segmenter.pt"), new byte[999]));
        bundleCase(c, "tokenizer merges missing", "merges", b -> Files.delete(b.resolve("tokenizer/merges.txt")));
        // media
        c.add(new Case("info missing file", "nope.mp4", d -> args("info", d.resolve("nope.mp4"))));
        c.add(new Case("info empty file", "empty.mkv", d -> args("info", Files.createFile(d.resolve("empty.mkv")))));
        c.add(new Case("info garbage", "junk.avi", d -> args("info", Files.write(d.resolve("junk.avi"),
                new java.util.Random(3).ints(20000, 0, 256).collect(ByteArrayOutputStream::new,
                        ByteArrayOutputStream::write, (a, b) -> a.writeBytes(b.toByteArray())).toByteArray()))));
        c.add(new Case("info truncated mp4", "cut.mp4", d -> {
            byte[] all = Files.readAllBytes(sampleMp4);
            return args("info", Files.write(d.resolve("cut.mp4"), java.util.Arrays.copyOf(all, 4000)));
        }));
        c.add(new Case("info a folder that is no clip", "stuff", d -> {
            write(d.resolve("stuff/readme.txt"), "x");
            return args("info", d.resolve("stuff"));
        }));
        c.add(new Case("info a file whose pictures cannot be decoded", "zeroed.mp4", d -> {
            byte[] b = Files.readAllBytes(sampleMp4);
            String text = new String(b, StandardCharsets.ISO_8859_1);
            int mdat = text.indexOf("mdat");
            int moov = text.indexOf("moov");
            int end = moov > mdat ? moov - 4 : b.length;
            assertTrue(mdat > 0, "fixture: an mdat box");
            java.util.Arrays.fill(b, mdat + 4, end, (byte) 0); // the container intact, every packet zero
            return args("info", Files.write(d.resolve("zeroed.mp4"), b));
        }));
        c.add(new Case("info a text file", "notes.mp4", d -> args("info", write(d.resolve("notes.mp4"), "hello\n"))));
        // wav through features
        c.add(new Case("features missing wav", "nope.wav", d -> args("features", d.resolve("nope.wav"), "--out",
                d.resolve("f.npy"))));
        c.add(new Case("features garbage wav", "junk.wav", d -> args("features",
                Files.write(d.resolve("junk.wav"), new byte[3000]), "--out", d.resolve("f.npy"))));
        c.add(new Case("features empty wav", "empty.wav", d -> args("features",
                Files.createFile(d.resolve("empty.wav")), "--out", d.resolve("f.npy"))));
        c.add(new Case("features --out is the input", "in.wav", d -> {
            Path in = Files.copy(wav, d.resolve("in.wav"));
            return args("features", in, "--out", in);
        }));
        c.add(new Case("features --out a folder", "outdir", d -> args("features", wav, "--out",
                Files.createDirectories(d.resolve("outdir")))));
        c.add(new Case("features --out a device", "/dev/null", d -> args("features", wav, "--out", "/dev/null")));
        c.add(new Case("features --out under a file", "plain", d -> args("features", wav, "--out",
                write(d.resolve("plain"), "x").resolve("f.npy"))));
        wavCase(c, "wav 2^31 Hz", 1, 1, 0x7fffffffL, 16, 32000, 32000);
        wavCase(c, "wav 1 Hz", 1, 1, 1, 16, 32000, 32000);
        wavCase(c, "wav 0 Hz", 1, 1, 0, 16, 32000, 32000);
        wavCase(c, "wav 0 channels", 1, 0, 16000, 16, 32000, 32000);
        wavCase(c, "wav 1000 channels", 1, 1000, 16000, 16, 32000, 32000);
        wavCase(c, "wav 13 bits", 1, 1, 16000, 13, 32000, 32000);
        wavCase(c, "wav 0 bits", 1, 1, 16000, 0, 32000, 32000);
        wavCase(c, "wav format 0x55 (mp3)", 0x55, 1, 16000, 16, 32000, 32000);
        wavCase(c, "wav data chunk longer than the file", 1, 1, 16000, 16, 0x7ffffff0L, 3200);
        wavCase(c, "wav no samples", 1, 1, 16000, 16, 0, 0);
        c.add(new Case("wav not RIFF", "riff.wav", d -> {
            byte[] b = Files.readAllBytes(wav);
            b[0] = 'X';
            return args("features", Files.write(d.resolve("riff.wav"), b), "--out", d.resolve("f.npy"));
        }));
        c.add(new Case("wav header cut", "cut.wav", d -> args("features",
                Files.write(d.resolve("cut.wav"), java.util.Arrays.copyOf(Files.readAllBytes(wav), 30)), "--out",
                d.resolve("f.npy"))));
        // eval options and trees
        c.add(new Case("eval --size -1", "--size", d -> args("eval", "--pred", dataset, "--gt", dataset, "--size", -1)));
        c.add(new Case("eval --size 100000", "--size", d -> args("eval", "--pred", dataset, "--gt", dataset, "--size",
                100000)));
        c.add(new Case("eval --binary --batch-size 0", "--batch-size", d -> args("eval", "--binary", "--pred", dataset,
                "--gt", dataset, "--batch-size", 0)));
        c.add(new Case("eval --binary --batch-size -3", "--batch-size", d -> args("eval", "--binary", "--pred",
                dataset, "--gt", dataset, "--batch-size", -3)));
        c.add(new Case("eval --base abc", "--base", d -> args("eval", "--pred", dataset, "--gt", dataset, "--base",
                "abc")));
        c.add(new Case("eval --base -1", "base class index -1", d -> args("eval", "--pred", dataset, "--gt", dataset, "--base", "-1",
                "--novel", "3")));
        c.add(new Case("eval --novel beyond the classes", "novel class index 5000", d -> args("eval", "--pred", dataset, "--gt",
                dataset, "--base", "1", "--novel", "5000")));
        c.add(new Case("eval --pred missing", "nopred", d -> args("eval", "--pred", d.resolve("nopred"), "--gt",
                dataset)));
        c.add(new Case("eval --gt missing", "nogt", d -> args("eval", "--pred", dataset, "--gt", d.resolve("nogt"))));
        c.add(new Case("eval --gt a file", "gt.txt", d -> args("eval", "--pred", dataset, "--gt",
                write(d.resolve("gt.txt"), "x"))));
        c.add(new Case("eval --pred with no clip", "emptypred", d -> args("eval", "--pred",
                Files.createDirectories(d.resolve("emptypred")), "--gt", dataset)));
        c.add(new Case("eval --classes-from missing", "l2i.json", d -> args("eval", "--pred", dataset, "--gt", dataset,
                "--classes-from", d.resolve("l2i.json"))));
        c.add(new Case("eval --classes-from not JSON", "l2i.json", d -> args("eval", "--pred", dataset, "--gt",
                dataset, "--classes-from", write(d.resolve("l2i.json"), "[1,2"))));
        c.add(new Case("eval --classes-from a list", "l2i.json", d -> args("eval", "--pred", dataset, "--gt",
                dataset, "--classes-from", write(d.resolve("l2i.json"), "[\"a\", \"b\"]"))));
        c.add(new Case("eval gt with empty metadata.csv", "metadata.csv", d -> {
            Path gt = FileTrees.copy(dataset, d.resolve("gt"));
            write(gt.resolve("metadata.csv"), "");
            return args("eval", "--pred", dataset, "--gt", gt);
        }));
        // AVSBench roots through import
        datasetCase(c, "import: metadata.csv missing", "metadata.csv", r -> Files.delete(r.resolve("metadata.csv")));
        datasetCase(c, "import: metadata.csv empty", "metadata.csv", r -> write(r.resolve("metadata.csv"), ""));
        datasetCase(c, "import: metadata.csv header only", "metadata.csv",
                r -> write(r.resolve("metadata.csv"), "vid,uid,s_min,s_sec,a_obj,split,label\n"));
        datasetCase(c, "import: metadata.csv wrong header", "metadata.csv",
                r -> write(r.resolve("metadata.csv"), "a;b;c\n1;2;3\n"));
        datasetCase(c, "import: duplicated uid", "clip0", r -> {
            List<String> lines = Files.readAllLines(r.resolve("metadata.csv"));
            List<String> twice = new ArrayList<>(lines);
            twice.add(lines.get(1));
            Files.write(r.resolve("metadata.csv"), twice);
        });
        datasetCase(c, "import: label2idx.json missing", "label2idx.json", r -> Files.delete(r.resolve("label2idx.json")));
        datasetCase(c, "import: label2idx.json not JSON", "label2idx.json",
                r -> write(r.resolve("label2idx.json"), "{\"background\": "));
        datasetCase(c, "import: label2idx.json values not numbers", "label2idx.json",
                r -> write(r.resolve("label2idx.json"), "{\"background\": \"one\"}"));
        datasetCase(c, "import: interrupted export (completion marker says no)", "interrupted", r -> {
            String marker = Files.readString(r.resolve(ovavss.studio.avsbench.ExportMarker.FILE));
            assertTrue(marker.contains("\"complete\" : true"), "fixture: a finished export's marker");
            write(r.resolve(ovavss.studio.avsbench.ExportMarker.FILE), marker.replace("\"complete\" : true",
                    "\"complete\" : false"));
        });
        c.add(new Case("import --dataset missing", "nods", d -> args("import", "--dataset", d.resolve("nods"),
                "--project", d.resolve("proj"))));
        c.add(new Case("import --dataset a file", "ds.txt", d -> args("import", "--dataset",
                write(d.resolve("ds.txt"), "x"), "--project", d.resolve("proj"))));
        c.add(new Case("import --dataset empty folder", "emptyds", d -> args("import", "--dataset",
                Files.createDirectories(d.resolve("emptyds")), "--project", d.resolve("proj"))));
        c.add(new Case("import --project an existing non-empty folder", "proj", d -> {
            write(d.resolve("proj/keep.txt"), "mine");
            return args("import", "--dataset", dataset, "--project", d.resolve("proj"));
        }));
        c.add(new Case("import --project a device", "/dev/null", d -> args("import", "--dataset", dataset,
                "--project", "/dev/null")));
        c.add(new Case("import --project inside the dataset", "ds", d -> {
            Path ds = FileTrees.copy(dataset, d.resolve("ds"));
            return args("import", "--dataset", ds, "--project", ds.resolve("proj"));
        }));
        c.add(new Case("import --split with no clip", "nosuchsplit", d -> args("import", "--dataset", dataset,
                "--project", d.resolve("proj"), "--split", "nosuchsplit")));
        c.add(new Case("import a label PNG declaring 30000x30000", "0.png", d -> {
            Path ds = FileTrees.copy(dataset, d.resolve("ds"));
            try (Stream<Path> s = Files.walk(ds)) {
                for (Path png : s.filter(p -> p.toString().endsWith(".png")).toList()) {
                    Files.write(png, pngDeclaring(30000, 30000));
                }
            }
            return args("import", "--dataset", ds, "--project", d.resolve("proj"));
        }));
        // projects through export
        c.add(new Case("export --project missing", "noproj", d -> args("export", "--project", d.resolve("noproj"),
                "--out", d.resolve("out"))));
        c.add(new Case("export --project a file", "proj.txt", d -> args("export", "--project",
                write(d.resolve("proj.txt"), "x"), "--out", d.resolve("out"))));
        c.add(new Case("export --project a folder with no project", "notproj", d -> {
            write(d.resolve("notproj/readme.txt"), "x");
            return args("export", "--project", d.resolve("notproj"), "--out", d.resolve("out"));
        }));
        projectCase(c, "project.json not JSON", "project", p -> write(projectFile(p), "{ broken"));
        projectCase(c, "project.json empty", "project", p -> write(projectFile(p), ""));
        projectCase(c, "project.json from a newer version", "newer version", p -> {
            String s = Files.readString(projectFile(p));
            String newer = s.replaceFirst("\"schemaVersion\"\\s*:\\s*\\d+", "\"schemaVersion\" : 99");
            assertTrue(!newer.equals(s), "fixture: project.json has a schemaVersion");
            write(projectFile(p), newer);
        });
        c.add(new Case("project with 200,000 keyframes", "keyframes", d -> {
            Path p = projectOn(sampleMp4, d.resolve("big"), 200_000);
            return args("export", "--project", p, "--out", d.resolve("out"), "--no-frames", "--no-audio");
        }));
        c.add(new Case("export --out the project folder", "proj", d -> {
            Path p = FileTrees.copy(project, d.resolve("proj"));
            return args("export", "--project", p, "--out", p);
        }));
        c.add(new Case("export --out inside the project", "masks", d -> {
            Path p = FileTrees.copy(project, d.resolve("proj"));
            return args("export", "--project", p, "--out", p.resolve("masks"));
        }));
        c.add(new Case("export --out a non-empty folder", "full", d -> {
            write(d.resolve("full/keep.txt"), "mine");
            return args("export", "--project", project, "--out", d.resolve("full"));
        }));
        c.add(new Case("export --out an existing file", "taken", d -> args("export", "--project", project, "--out",
                write(d.resolve("taken"), "mine"))));
        c.add(new Case("export --out a device", "/dev/null", d -> args("export", "--project", project, "--out",
                "/dev/null")));
        c.add(new Case("export --out under a file", "plain", d -> args("export", "--project", project, "--out",
                write(d.resolve("plain"), "x").resolve("out"))));
        for (String size : new String[] {"100000", "-5", "abc"}) {
            c.add(new Case("export --size " + size, "--size", d -> args("export", "--project", project, "--out",
                    d.resolve("out"), "--layout", "s4", "--size", size)));
        }
        for (String threads : new String[] {"0", "100000", "-1"}) {
            c.add(new Case("export --threads " + threads, "--threads", d -> args("export", "--project", project,
                    "--out", d.resolve("out"), "--threads", threads)));
        }
        c.add(new Case("export --layout bogus", "bogus", d -> args("export", "--project", project, "--out",
                d.resolve("out"), "--layout", "bogus")));
        return c;
    }

    private static Path projectFile(Path projectDir) {
        return projectDir.resolve("project.json");
    }

    private static void edit(Path bundle, String from, String to) throws IOException {
        String s = Files.readString(bundle.resolve("bundle.json"));
        assertTrue(s.contains(from), "fixture: bundle.json has no " + from);
        write(bundle.resolve("bundle.json"), s.replace(from, to));
    }

    @FunctionalInterface
    private interface Damage {
        void apply(Path folder) throws Exception;
    }

    private void bundleCase(List<Case> c, String name, String mention, Damage damage) {
        c.add(new Case("bundle: " + name, mention, d -> {
            Path b = FileTrees.copy(tinyBundle, d.resolve("bundle"));
            damage.apply(b);
            return args("predict", sampleMp4, "--model", b, "--out", d.resolve("out"));
        }));
    }

    private void wavCase(List<Case> c, String name, int format, int channels, long rate, int bits, long declared,
            int actual) {
        c.add(new Case("features: " + name, "forged.wav", d -> args("features",
                forgedWav(d.resolve("forged.wav"), format, channels, rate, bits, declared, actual), "--out",
                d.resolve("f.npy"))));
    }

    private void datasetCase(List<Case> c, String name, String mention, Damage damage) {
        c.add(new Case(name, mention, d -> {
            Path ds = FileTrees.copy(dataset, d.resolve("ds"));
            damage.apply(ds);
            return args("import", "--dataset", ds, "--project", d.resolve("proj"));
        }));
    }

    private void projectCase(List<Case> c, String name, String mention, Damage damage) {
        c.add(new Case("export: " + name, mention, d -> {
            Path p = FileTrees.copy(project, d.resolve("proj"));
            damage.apply(p);
            return args("export", "--project", p, "--out", d.resolve("out"));
        }));
    }

    // ---- running and checking ---------------------------------------------------------------



    /** Every path under {@code root} with a digest of its bytes (folders as "dir"). */
    private static Map<String, String> tree(Path root) throws Exception {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.toList()) {
                String rel = root.relativize(p).toString();
                if (Files.isDirectory(p)) {
                    m.put(rel, "dir");
                } else {
                    MessageDigest md = MessageDigest.getInstance("SHA-256");
                    m.put(rel, HexFormat.of().formatHex(md.digest(Files.readAllBytes(p))));
                }
            }
        }
        return m;
    }

    @TestFactory
    Stream<DynamicTest> everyMalformedInputExitsTwoWithOneLineAndChangesNothing() {
        List<Case> all = cases();
        assertTrue(all.size() >= 100, "the suite has " + all.size() + " cases");
        int[] n = {0};
        return all.stream().map(k -> DynamicTest.dynamicTest(k.name(), () -> {
            Path dir = Files.createDirectories(tmp.resolve("case" + n[0]++));
            Invocation inv = k.setup().in(dir);
            Map<String, String> before = tree(dir);
            Map<String, String> sharedBefore = tree(tmp.resolve("shared"));
            CliRun r = CliRun.of(inv.args().toArray(String[]::new));
            String err = r.err().strip();
            String where = k.name() + ": " + String.join(" ", inv.args()) + "\nstderr: " + r.err();
            assertEquals(StudioCli.EXIT_BAD_INPUT, r.code(), where);
            assertFalse(err.isEmpty(), where);
            assertEquals(1, err.lines().count(), "one line on stderr — " + where);
            assertFalse(STACK_TRACE.matcher(err).find(), "stack trace — " + where);
            assertTrue(err.contains(k.mention()), "the message names '" + k.mention() + "' — " + where);
            assertEquals(before, tree(dir), "the case folder changed — " + where);
            assertEquals(sharedBefore, tree(tmp.resolve("shared")), "a shared input changed — " + where);
            assertFalse(Files.isRegularFile(Path.of("/dev/null")), "/dev/null was replaced");
        }));
    }
}
