package ovavss.studio.avsbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PaletteTest {
    /** The 71 colours of the AVSBench table (AVSBENCH.md section 6), index order. */
    private static final int[] TABLE = {
            0x000000, 0x800000, 0x008000, 0x808000, 0x000080, 0x800080, 0x008080, 0x808080,
            0x400000, 0xc00000, 0x408000, 0xc08000, 0x400080, 0xc00080, 0x408080, 0xc08080,
            0x004000, 0x804000, 0x00c000, 0x80c000, 0x004080, 0x804080, 0x00c080, 0x80c080,
            0x404000, 0xc04000, 0x40c000, 0xc0c000, 0x404080, 0xc04080, 0x40c080, 0xc0c080,
            0x000040, 0x800040, 0x008040, 0x808040, 0x0000c0, 0x8000c0, 0x0080c0, 0x8080c0,
            0x400040, 0xc00040, 0x408040, 0xc08040, 0x4000c0, 0xc000c0, 0x4080c0, 0xc080c0,
            0x004040, 0x804040, 0x00c040, 0x80c040, 0x0040c0, 0x8040c0, 0x00c0c0, 0x80c0c0,
            0x404040, 0xc04040, 0x40c040, 0xc0c040, 0x4040c0, 0xc040c0, 0x40c0c0, 0xc0c0c0,
            0x200000, 0xa00000, 0x208000, 0xa08000, 0x200080, 0xa00080, 0x208080};

    @Test
    void all71ColoursMatchTheOfficialTable() {
        assertEquals(71, TABLE.length);
        for (int i = 0; i < 71; i++) {
            assertEquals(TABLE[i], Palette.rgb(i), "index " + i);
        }
        Set<Integer> distinct = new HashSet<>();
        for (int c : Palette.colours(256)) {
            distinct.add(c);
        }
        assertEquals(256, distinct.size(), "bit interleaving stays distinct for extra classes");
        assertEquals(0x208080, Palette.rgb(70));
        assertEquals(0xa08080, Palette.rgb(71)); // first extra class
    }

    @Test
    void standardNamesAreSortedWithBackgroundFirst() {
        LabelSet s = LabelSet.standard();
        assertEquals(71, s.size());
        assertEquals("background", s.name(0));
        for (int i = 2; i < 71; i++) {
            assertEquals(true, s.name(i - 1).compareTo(s.name(i)) < 0);
        }
        assertEquals(70, AvsbenchClasses.SEEN.length + AvsbenchClasses.UNSEEN.length);
        Set<Integer> all = new HashSet<>();
        for (int c : AvsbenchClasses.SEEN) {
            all.add(c);
        }
        for (int c : AvsbenchClasses.UNSEEN) {
            all.add(c);
        }
        assertEquals(70, all.size());
    }

    @Test
    void decoderMapsUnknownColoursToBackgroundAndCountsThem() {
        Palette.Decoder d = new Palette.Decoder(71);
        int[] labels = new int[5];
        int unknown = d.decode(new int[] {0x000000, 0x800000, 0x208080, 0x123456, 0xa08080}, labels);
        assertEquals(2, unknown); // 0x123456 and index 71 (outside a 71-class palette)
        assertEquals(0, labels[0]);
        assertEquals(1, labels[1]);
        assertEquals(70, labels[2]);
        assertEquals(0, labels[3]);
        assertEquals(0, labels[4]);
        assertEquals(71, new Palette.Decoder(72).decode(new int[] {0xa08080}, labels) == 0 ? labels[0] : -1);
    }

    @Test
    void labelSetRejectsBadFiles() {
        assertThrows(AvsbenchException.class, () -> new LabelSet(java.util.List.of("dog", "background")));
        assertThrows(AvsbenchException.class, () -> new LabelSet(java.util.List.of("background", "a", "a")));
    }
}
