package ovavss.studio.avsbench;

import java.util.List;
import java.util.Set;

/**
 * The standard AVSBench-semantic label space and the OV-AVSS seen/unseen split (AVSBENCH.md §5.3,
 * §6): background at index 0, then 70 classes in alphabetical order.
 */
public final class AvsbenchClasses {
    private AvsbenchClasses() {
    }

    /** The 71 names in label2idx order: background first. */
    public static final List<String> NAMES = List.of("background",
            "accordion", "airplane", "axe", "baby", "bassoon", "bell", "bird", "boat", "boy", "bus",
            "car", "cat", "cello", "clarinet", "clipper", "clock", "dog", "donkey", "drum", "duck",
            "elephant", "emergency-car", "erhu", "flute", "frying-food", "girl", "goose", "guitar", "gun",
            "guzheng", "hair-dryer", "handpan", "harmonica", "harp", "helicopter", "hen", "horse",
            "keyboard", "leopard", "lion", "man", "marimba", "missile-rocket", "motorcycle", "mower",
            "parrot", "piano", "pig", "pipa", "saw", "saxophone", "sheep", "sitar", "sorna", "squirrel",
            "tabla", "tank", "tiger", "tractor", "train", "trombone", "truck", "trumpet", "tuba",
            "ukulele", "utv", "vacuum-cleaner", "violin", "wolf", "woman");

    /** OV-AVSS seen (base) class indices, as passed to {@code scores_gzsl}. */
    public static final int[] SEEN = {2, 4, 6, 7, 8, 9, 10, 11, 12, 16, 17, 18, 19, 20, 21, 26, 27, 28, 29, 31,
        35, 36, 37, 38, 40, 41, 43, 44, 46, 47, 48, 52, 55, 58, 59, 60, 62, 63, 67, 70};

    /** OV-AVSS unseen (novel) class indices. */
    public static final int[] UNSEEN = {1, 3, 5, 13, 14, 15, 22, 23, 24, 25, 30, 32, 33, 34, 39, 42, 45, 49, 50,
        51, 53, 54, 56, 57, 61, 64, 65, 66, 68, 69};

    /** Non-class tokens that occur in {@code metadata.csv} {@code a_obj}. */
    public static final Set<String> NON_CLASS_TOKENS = Set.of("off-the-screen", "background");

    public static boolean isSeen(int index) {
        for (int s : SEEN) {
            if (s == index) {
                return true;
            }
        }
        return false;
    }
}
