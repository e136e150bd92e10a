package ovavss.studio.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import org.junit.jupiter.api.Test;

class DjlEnvironmentTest {
    @Test
    void appliesOfflineAndTurnsTheTorchScriptGraphOptimizerOff() {
        DjlEnvironment.apply();
        assertEquals("true", System.getProperty("ai.djl.offline"));
        // off by default: with it on, every new CLIP crop count re-specialises the graph (4x slower on CUDA)
        assertEquals("false", System.getProperty(DjlEnvironment.GRAPH_OPTIMIZER));
        assertNotNull(System.getProperty("ENGINE_CACHE_DIR"));
    }
}
