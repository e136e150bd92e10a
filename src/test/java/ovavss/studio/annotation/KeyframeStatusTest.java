package ovavss.studio.annotation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyframeStatusTest {
    @Test
    void statusFollowsProvenanceAndReviewMarksSurviveSaveAndUndo(@TempDir Path dir) throws Exception {
        Mask m = Mask.full(4, 4);
        SoundingObject o = SoundingObject.of("o1", "dog")
                .withFrame(1, ObjectFrame.model(m, SoundFlag.SOUNDING, 0.8))
                .withFrame(2, ObjectFrame.human(m, SoundFlag.SILENT));
        Clip c = Clip.of("c", "m.mp4", 4, 4, 4).withObject(o);
        Project p = Project.empty("p").withVocabulary(Vocabulary.empty().with(VocabularyEntry.of("dog", 1))).withClip(c);
        assertEquals(List.of(KeyframeStatus.UNTOUCHED, KeyframeStatus.PREDICTED, KeyframeStatus.EDITED,
                KeyframeStatus.UNTOUCHED), KeyframeStatus.all(c));

        EditHistory h = new EditHistory(p);
        h.apply(KeyframeStatus.markReviewed("c", true, 1, 3));
        Clip c2 = h.current().requireClip("c");
        assertEquals(List.of(KeyframeStatus.UNTOUCHED, KeyframeStatus.REVIEWED, KeyframeStatus.EDITED,
                KeyframeStatus.REVIEWED), KeyframeStatus.all(c2));
        assertEquals(Map.of(KeyframeStatus.UNTOUCHED, 1, KeyframeStatus.PREDICTED, 0, KeyframeStatus.EDITED, 1,
                KeyframeStatus.REVIEWED, 2), KeyframeStatus.summary(c2));

        ProjectStore store = new ProjectStore();
        store.save(h.current(), dir);
        Clip loaded = store.load(dir).project().requireClip("c");
        assertEquals(KeyframeStatus.REVIEWED, KeyframeStatus.of(loaded, 3));

        h.apply(KeyframeStatus.markReviewed("c", false, 3));
        assertEquals(KeyframeStatus.UNTOUCHED, KeyframeStatus.of(h.current().requireClip("c"), 3));
        h.undo();
        assertEquals(KeyframeStatus.REVIEWED, KeyframeStatus.of(h.current().requireClip("c"), 3));
    }
}
