package ovavss.studio.model;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A loaded model bundle (MODEL_BUNDLE.md): manifest, tokenizer and the four TorchScript graphs
 * on one device. Every bundle, the demo included, goes through {@link #load}: format check,
 * SHA-256 of every listed file, loading, and one dry run of each graph whose output shapes must
 * match the manifest.
 *
 * <p>Thread safety: the bundle itself is immutable and may be shared; the predictors live in
 * {@link ModelSession}s, each used by one thread only (the inference service's thread).
 */
public final class ModelBundle implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ModelBundle.class);
    private static final String ENGINE = "PyTorch";
    /**
     * Hidden switch: run fp16 graphs on the CPU too. Half precision is a GPU feature (the CPU gains
     * nothing and many CPU kernels have no float16 version), so FP16 on a CPU normally runs fp32;
     * DJL's CPU libtorch 2.7.1 can run the half graphs, though, and this lets the tests and a CPU
     * rehearsal of the GPU benchmark load them. Not in the UI or the CLI's help.
     */
    static final String FP16_ON_CPU = "ovavss.fp16.cpu";

    private final Path dir;
    private final BundleManifest manifest;
    private final TextTokenizer tokenizer;
    private final Device device;
    private final PrecisionChoice precision;
    private final Map<String, ZooModel<HostTensor.Batch, HostTensor.Batch>> models;
    private final String sha256;

    private ModelBundle(Path dir, BundleManifest manifest, String sha256, TextTokenizer tokenizer, Device device,
                        PrecisionChoice precision, Map<String, ZooModel<HostTensor.Batch, HostTensor.Batch>> models) {
        this.dir = dir;
        this.manifest = manifest;
        this.sha256 = sha256;
        this.tokenizer = tokenizer;
        this.device = device;
        this.precision = precision;
        this.models = models;
    }

    /**
     * The precision a load runs at, and why it is not the one asked for when it is not.
     *
     * @param effective the precision whose graphs are loaded
     * @param note what the user should know when {@code effective} differs from the request, or null
     */
    record PrecisionChoice(Precision effective, String note) {
    }

    /** Loads a bundle on the best available device. */
    public static ModelBundle load(Path dir) throws BundleException {
        return load(dir, DevicePreference.AUTO);
    }

    /**
     * Checks a bundle folder without loading it: its manifest, and every file's SHA-256 against it.
     *
     * @throws BundleException naming the file and the problem
     */
    public static BundleManifest verify(Path dir) throws BundleException {
        BundleManifest manifest = BundleManifest.read(dir);
        for (Map.Entry<String, String> e : manifest.sha256().entrySet()) {
            verifySha256(dir, e.getKey(), e.getValue());
        }
        return manifest;
    }

    /**
     * Loads and validates a bundle at fp32.
     *
     * @throws BundleException naming the file and the problem when anything does not match
     */
    public static ModelBundle load(Path dir, DevicePreference preference) throws BundleException {
        return load(dir, preference, Precision.FP32);
    }

    /**
     * Loads and validates a bundle at a precision. FP16 runs fp32 (with a {@link #precisionNote()},
     * logged as a warning) when the bundle has no fp16 graphs or the device is the CPU; the dry run
     * checks the graphs actually loaded.
     *
     * @throws BundleException naming the file and the problem when anything does not match
     */
    public static ModelBundle load(Path dir, DevicePreference preference, Precision requested)
            throws BundleException {
        return load(dir, preference, requested, 0);
    }

    /**
     * As {@link #load(Path, DevicePreference, Precision)} on CUDA device {@code gpuIndex} when it
     * runs on a GPU (a cluster scheduler hands each executor its own device).
     */
    public static ModelBundle load(Path dir, DevicePreference preference, Precision requested, int gpuIndex)
            throws BundleException {
        long t0 = System.nanoTime();
        BundleManifest manifest = verify(dir);
        String sha256 = sha256(dir, BundleManifest.FILE);
        TextTokenizer tokenizer = TextTokenizer.fromManifest(dir, manifest.tokenizer(), manifest.contextLength());
        Device device = chooseDevice(preference, gpuIndex);
        PrecisionChoice precision = choosePrecision(manifest, device.isGpu(), requested,
                Boolean.getBoolean(FP16_ON_CPU));
        if (precision.note() != null) {
            LOG.warn("{}", precision.note());
        }
        Map<String, ZooModel<HostTensor.Batch, HostTensor.Batch>> models = new LinkedHashMap<>();
        ModelBundle bundle = new ModelBundle(dir, manifest, sha256, tokenizer, device, precision, models);
        try {
            for (String g : manifest.allGraphs()) {
                models.put(g, loadGraph(dir.resolve(manifest.graphFile(g, precision.effective())), device));
            }
            try (ModelSession s = bundle.newSession()) {
                s.dryRun();
            }
        } catch (BundleException | RuntimeException e) {
            bundle.close();
            if (e instanceof BundleException be) {
                throw be;
            }
            throw new BundleException(dir + ": dry run failed: " + e.getMessage(), e);
        }
        LOG.info("loaded bundle '{}' from {} on {} at {} in {} ms", manifest.name(), dir, describe(device),
                precision.effective().id(), (System.nanoTime() - t0) / 1_000_000);
        return bundle;
    }

    /**
     * The precision a load runs at: fp16 needs fp16 graphs in the bundle and, unless
     * {@code fp16OnCpu}, a CUDA device; otherwise fp32 with a note saying why.
     */
    static PrecisionChoice choosePrecision(BundleManifest manifest, boolean gpu, Precision requested,
                                           boolean fp16OnCpu) {
        if (requested == Precision.FP32) {
            return new PrecisionChoice(Precision.FP32, null);
        }
        if (!manifest.has(requested)) {
            return new PrecisionChoice(Precision.FP32, "bundle '" + manifest.name() + "' has no " + requested.id()
                    + " graphs (models/add_fp16.py makes them); running fp32");
        }
        if (!gpu && !fp16OnCpu) {
            return new PrecisionChoice(Precision.FP32, requested.id() + " needs a CUDA GPU; running fp32 on the CPU");
        }
        return new PrecisionChoice(requested, null);
    }

    /** Device choice: a forced GPU without CUDA is an error, never a silent CPU fallback. */
    static Device chooseDevice(DevicePreference preference, int gpuIndex) throws BundleException {
        DjlEnvironment.apply();
        Engine engine;
        try {
            engine = Engine.getEngine(ENGINE);
        } catch (RuntimeException e) {
            throw new BundleException("the PyTorch runtime could not be loaded: " + e.getMessage(), e);
        }
        int gpus = engine.getGpuCount();
        Device device = switch (preference) {
            case CPU -> Device.cpu();
            case GPU -> {
                if (gpus == 0) {
                    throw new BundleException("GPU requested but the loaded PyTorch runtime ("
                            + engine.getVersion() + ") sees no CUDA device; use --device cpu or install a CUDA runtime"
                            + " (see GPU.md)");
                }
                yield gpu(gpuIndex, gpus);
            }
            case AUTO -> gpus > 0 ? gpu(gpuIndex, gpus) : Device.cpu();
        };
        LOG.info("inference device: {} (PyTorch {}, {} GPU(s) visible, preference {})", describe(device),
                engine.getVersion(), gpus, preference);
        return device;
    }

    private static Device gpu(int index, int visible) throws BundleException {
        if (index < 0 || index >= visible) {
            throw new BundleException("GPU " + index + " requested but PyTorch sees " + visible + " CUDA device(s)");
        }
        return Device.gpu(index);
    }

    private static String describe(Device d) {
        return d.isGpu() ? "GPU " + d.getDeviceId() + " (CUDA)" : "CPU";
    }

    private static void verifySha256(Path dir, String file, String expected) throws BundleException {
        Path p = dir.resolve(file).normalize();
        if (!p.startsWith(dir.normalize())) {
            throw new BundleException("bundle.json: sha256 entry '" + file + "' points outside the bundle");
        }
        if (!Files.isRegularFile(p)) {
            throw new BundleException(p + ": file listed in bundle.json is missing");
        }
        String actual = sha256(dir, file);
        if (!actual.equalsIgnoreCase(expected)) {
            throw new BundleException(p + ": SHA-256 mismatch (expected " + expected + ", file has " + actual
                    + "); the file is corrupt or from another bundle");
        }
    }

    private static String sha256(Path dir, String file) throws BundleException {
        Path p = dir.resolve(file);
        try (InputStream in = Files.newInputStream(p)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new BundleException(p + ": cannot read (" + e.getMessage() + ")", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ZooModel<HostTensor.Batch, HostTensor.Batch> loadGraph(Path file, Device device)
            throws BundleException {
        Criteria<HostTensor.Batch, HostTensor.Batch> criteria = Criteria.builder()
                .setTypes(HostTensor.Batch.class, HostTensor.Batch.class)
                .optModelPath(file)
                .optEngine(ENGINE)
                .optDevice(device)
                .optOption("mapLocation", "true")
                .optTranslator(new ArrayTranslator())
                .build();
        try {
            return criteria.loadModel();
        } catch (ModelNotFoundException | MalformedModelException | IOException | RuntimeException e) {
            throw new BundleException(file + ": not a loadable TorchScript graph (" + e.getMessage() + ")", e);
        }
    }

    /** A new set of predictors; use it on one thread and close it there. */
    public ModelSession newSession() {
        return new ModelSession(this);
    }

    ZooModel<HostTensor.Batch, HostTensor.Batch> model(String graph) {
        return models.get(graph);
    }

    public Path dir() {
        return dir;
    }

    public BundleManifest manifest() {
        return manifest;
    }

    /**
     * SHA-256 of the bundle's {@code bundle.json}, read at load: it lists every graph's own hash,
     * so it names the exact weights and settings that made a prediction.
     */
    public String sha256() {
        return sha256;
    }

    public TextTokenizer tokenizer() {
        return tokenizer;
    }

    /** True when the graphs run on a CUDA device. */
    public boolean onGpu() {
        return device.isGpu();
    }

    /** "CPU" or "GPU n (CUDA)", for the status bar and logs. */
    public String deviceName() {
        return describe(device);
    }

    /** The precision the graphs run at (fp32 when fp16 was asked for but could not be had). */
    public Precision precision() {
        return precision.effective();
    }

    /** Why the precision is not the one asked for ("fp16 needs a CUDA GPU; ..."), when it is not. */
    public Optional<String> precisionNote() {
        return Optional.ofNullable(precision.note());
    }

    /**
     * Memory in use on the bundle's GPU (the whole device, as CUDA reports it), or empty on the
     * CPU or when CUDA cannot tell.
     */
    public OptionalLong gpuMemoryUsedBytes() {
        if (!device.isGpu()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(ai.djl.util.cuda.CudaUtils.getGpuMemory(device).getUsed());
        } catch (RuntimeException | LinkageError e) {
            LOG.debug("GPU memory unknown: {}", e.toString());
            return OptionalLong.empty();
        }
    }

    /** Prompts of one name: every template with {@code {}} replaced by the raw name. */
    public List<String> prompts(String name) {
        List<String> out = new ArrayList<>();
        for (String t : manifest.templates()) {
            out.add(t.replace("{}", name));
        }
        return out;
    }

    /** Native arrays alive under the models' managers (predict calls must leave none behind). */
    int nativeArrayCount() {
        int n = 0;
        for (ZooModel<?, ?> m : models.values()) {
            if (m.getNDManager() instanceof ai.djl.ndarray.BaseNDManager b) {
                n += b.getManagedArrays().size();
            }
        }
        return n;
    }

    @Override
    public void close() {
        for (ZooModel<?, ?> m : models.values()) {
            m.close();
        }
        models.clear();
    }
}
