package ovavss.studio.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WarningLinesTest {
    @Test
    void elevenThousandWarningsOfOneKindAreOneLine() {
        List<String> w = new ArrayList<>();
        for (int i = 0; i < 11_351; i++) {
            w.add("uid clip" + i + "_" + (i * 7) + ": a_obj token 'background' is not a class");
        }
        w.add("line 12: 3 fields, expected 7; skipped");
        w.add("line 40: 2 fields, expected 7; skipped");
        List<String> lines = WarningLines.grouped(w);
        assertEquals(List.of("uid clip0_0: a_obj token 'background' is not a class (and 11350 more like it)",
                "line 12: 3 fields, expected 7; skipped (and 1 more like it)"), lines);
    }

    @Test
    void kindsAreCapped() {
        List<String> w = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            w.add("warning of kind " + (char) ('a' + i % 26) + (char) ('a' + i / 26));
        }
        List<String> lines = WarningLines.grouped(w);
        assertEquals(WarningLines.MAX_KINDS + 1, lines.size());
        assertTrue(lines.get(WarningLines.MAX_KINDS).contains("10 more kinds"), lines.toString());
    }
}
