package ovavss.studio.annotation;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The one spelling rule for class names, applied wherever a name enters a project: the label box,
 * a new object, the vocabulary editor, an AVSBench import and a model's vocabulary.
 *
 * <p>A name is normalised AVSBench style: surrounding white space dropped, lower case
 * ({@link Locale#ROOT}), every run of white space, underscores and hyphens inside it one hyphen,
 * and separators at either end dropped. So {@code "Red Circle"}, {@code "red_circle"} and
 * {@code " red  circle "} are all the class {@code "red-circle"}. AVSBench names
 * ({@code "emergency-car"}, {@code "missile-rocket"}) and the demo model's names
 * ({@code "blue-circle"}) are their own normal form. Nothing else (digits, dots, other
 * letters) is touched.
 */
public final class LabelNames {
    private static final Pattern SEPARATORS = Pattern.compile("[\\s_-]+");

    private LabelNames() {
    }

    /** The normal form of {@code raw}; empty for null or a name of separators only. */
    public static String normalise(String raw) {
        if (raw == null) {
            return "";
        }
        String s = SEPARATORS.matcher(raw.strip().toLowerCase(Locale.ROOT)).replaceAll("-");
        int a = 0;
        int b = s.length();
        while (a < b && s.charAt(a) == '-') {
            a++;
        }
        while (b > a && s.charAt(b - 1) == '-') {
            b--;
        }
        return s.substring(a, b);
    }

    /** True when two names are the same class (equal once normalised). */
    public static boolean same(String a, String b) {
        return normalise(a).equals(normalise(b));
    }
}
