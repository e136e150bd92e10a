package ovavss.studio.annotation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one keyframe-timing type: the default grid and the lookups between time and keyframes. */
class KeyframeTimesTest {
    @Test
    void theDefaultGridIsOnePerWholeSecond() {
        assertEquals(List.of(0.0, 1.0, 2.0), KeyframeTimes.onePerSecond(3.7).asList());
        assertEquals(List.of(0.0, 1.0, 2.0), KeyframeTimes.onePerSecond(3.0 - 1e-12).asList(), "rounding");
        assertEquals(0, KeyframeTimes.onePerSecond(0.5).count());
        assertEquals(0, KeyframeTimes.onePerSecond(Double.NaN).count());
        assertEquals(KeyframeTimes.onePerSecond(10), Clip.of("c", "m", 10, 4, 4).keyframes());
    }

    @Test
    void lookupsOnIrregularKeyframes() {
        KeyframeTimes k = KeyframeTimes.of(List.of(0.5, 1.0, 2.5));
        assertEquals(-1, k.atOrBefore(0.2));
        assertEquals(0, k.atOrBefore(0.5 - 0.0005), "within the tolerance counts as on it");
        assertEquals(1, k.atOrBefore(2.4));
        assertEquals(2, k.atOrBefore(9));
        assertEquals(1, k.next(0.5));
        assertEquals(2, k.next(1.3));
        assertEquals(-1, k.next(2.5));
        assertEquals(1, k.previous(2.5), "the keyframe under the time does not count");
        assertEquals(-1, k.previous(0.5));
        assertEquals(0, k.nearest(0));
        assertEquals(1, k.nearest(1.7));
        assertEquals(2, k.nearest(1.8));
        assertEquals(0, k.atOrAfter(0));
        assertEquals(2, k.atOrAfter(1.2));
        assertEquals(3, k.atOrAfter(2.6), "none: the count");
        assertEquals(1.0, k.spanEnd(0, 10));
        assertEquals(3.5, k.spanEnd(2, 10), "the last one spans a grid step");
        assertEquals(2.8, k.spanEnd(2, 2.8), "cut at the clip end");
        assertEquals(2, k.spanAt(3.0, 10));
        assertEquals(-1, k.spanAt(3.6, 10));
        assertEquals(-1, k.spanAt(0.1, 10));
        assertEquals(List.of(10.5, 11.0, 12.5), k.shifted(10).asList());
        assertEquals(-1, KeyframeTimes.of(List.of()).nearest(3));
    }

    @Test
    void clipKeyframesInMediaTimeAndInvalidTimes() {
        Clip c = new Clip("c", "m", 4, 3, List.of(0.0, 1.0, 2.0), 2, 2, List.of(), Map.of());
        assertEquals(List.of(4.0, 5.0, 6.0), c.mediaKeyframes().asList());
        assertEquals(1, c.mediaKeyframes().atOrBefore(5.5));
        assertThrows(AnnotationException.class, () -> KeyframeTimes.of(List.of(1.0, 1.0)));
        assertThrows(AnnotationException.class, () -> KeyframeTimes.of(List.of(0.0, Double.NaN)));
    }
}
