package ovavss.studio.spark;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import ovavss.studio.model.BundleException;
import ovavss.studio.model.DevicePreference;
import ovavss.studio.model.InferenceService;
import ovavss.studio.model.ModelBundle;
import ovavss.studio.model.Precision;

/**
 * One model per executor JVM (per GPU, where a scheduler hands an executor several): loaded by the
 * first task that needs it and reused by every later task on that JVM, whatever the job; closed
 * when the JVM exits. In local mode the executor is the driver's JVM, so the driver's check load is
 * the one the tasks use.
 */
final class ExecutorModels {
    private static final Map<String, InferenceService> SERVICES = new HashMap<>();
    private static boolean hooked;

    private ExecutorModels() {
    }

    /** The service of {@code settings}' bundle, device and precision on CUDA device {@code gpuIndex}. */
    static synchronized InferenceService service(JobSettings settings, int gpuIndex) throws BundleException {
        String key = settings.bundleDir() + "|" + settings.device() + "|" + settings.precision() + "|" + gpuIndex;
        InferenceService s = SERVICES.get(key);
        if (s == null) {
            ModelBundle bundle = ModelBundle.load(Path.of(settings.bundleDir()),
                    DevicePreference.parse(settings.device()), Precision.parse(settings.precision()), gpuIndex);
            try {
                s = new InferenceService(bundle);
            } catch (RuntimeException e) {
                bundle.close();
                throw e;
            }
            SERVICES.put(key, s);
            if (!hooked) {
                Runtime.getRuntime().addShutdownHook(new Thread(ExecutorModels::closeAll, "ovavss-models-close"));
                hooked = true;
            }
        }
        return s;
    }

    private static synchronized void closeAll() {
        for (InferenceService s : SERVICES.values()) {
            s.close();
            s.bundle().close();
        }
        SERVICES.clear();
    }
}
