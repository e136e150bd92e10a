package ovavss.studio.model;

import java.text.Normalizer;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What CLIP's tokenizer does to a text before splitting it: {@code basic_clean} (ftfy's
 * {@code fix_text}, then HTML entities unescaped twice, then stripped) and {@code whitespace_clean}
 * (every run of whitespace, Unicode spaces included, one space), then lower case. Names that users
 * type or paste ("Crème brûlée", "rock&amp;roll", a non-breaking space, curly quotes) must give the
 * ids the model was trained with.
 *
 * <p>Of ftfy, the steps that change ordinary typed text are done: curly quotes straightened, Latin
 * ligatures spelled out, full-width forms made ASCII, Unicode NFC. Its mojibake repair (text that
 * was decoded with the wrong code page) is not. Of HTML's 2,231 named entities, the ones that can
 * appear in a class name are known: the Latin-1 set, {@code &amp; &lt; &gt; &quot; &apos;} and the
 * common typographic ones; numeric references are all decoded as Python's {@code html.unescape}
 * does, invalid ones included.
 */
final class ClipTextClean {
    private ClipTextClean() {
    }

    /** CLIP's {@code whitespace_clean(basic_clean(text)).lower()}. */
    static String clean(String text) {
        String t = fixText(text);
        t = unescapeHtml(unescapeHtml(t));
        t = collapseWhitespace(t);
        return t.toLowerCase(java.util.Locale.ROOT);
    }

    // ---------------------------------------------------------------- ftfy's fix_text (the parts above)

    private static final Map<Character, String> LIGATURES = Map.ofEntries(
            Map.entry('\u0132', "IJ"), Map.entry('\u0133', "ij"), Map.entry('\u0149', "\u02bcn"),
            Map.entry('\u01c4', "D\u017d"), Map.entry('\u01c5', "D\u017e"), Map.entry('\u01c6', "d\u017e"),
            Map.entry('\u01c7', "LJ"), Map.entry('\u01c8', "Lj"), Map.entry('\u01c9', "lj"),
            Map.entry('\u01ca', "NJ"), Map.entry('\u01cb', "Nj"), Map.entry('\u01cc', "nj"),
            Map.entry('\u01f1', "DZ"), Map.entry('\u01f2', "Dz"), Map.entry('\u01f3', "dz"),
            Map.entry('\ufb00', "ff"), Map.entry('\ufb01', "fi"), Map.entry('\ufb02', "fl"),
            Map.entry('\ufb03', "ffi"), Map.entry('\ufb04', "ffl"), Map.entry('\ufb05', "\u017ft"),
            Map.entry('\ufb06', "st"));

    static String fixText(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\u02bc' || (c >= '\u2018' && c <= '\u201b')) {
                sb.append('\'');
            } else if (c >= '\u201c' && c <= '\u201f') {
                sb.append('"');
            } else if (LIGATURES.containsKey(c)) {
                sb.append(LIGATURES.get(c));
            } else if (c == '\u3000') {
                sb.append(' ');
            } else if (c >= '\uff01' && c <= '\uffef') {
                // full- and half-width forms: their compatibility form (Ａ -> A, ｶ -> カ)
                sb.append(Normalizer.normalize(String.valueOf(c), Normalizer.Form.NFKC));
            } else {
                sb.append(c);
            }
        }
        return Normalizer.normalize(sb, Normalizer.Form.NFC);
    }

    // ---------------------------------------------------------------- html.unescape

    private static final Pattern CHARREF = Pattern.compile(
            "&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\\t\\n\\f <&#;]{1,32};?)");
    /** Entities with their semicolon; {@link #LEGACY} are also recognised without it. */
    private static final Map<String, String> NAMED = new HashMap<>();
    private static final java.util.Set<String> LEGACY = new java.util.HashSet<>();
    /** Windows-1252 for the C1 range, as html.unescape maps &#128; .. &#159;. */
    private static final String CP1252_80_9F = "\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160"
            + "\u2039\u0152\u008d\u017d\u008f\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a"
            + "\u0153\u009d\u017e\u0178";

    static {
        String[] latin1 = ("nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr deg "
                + "plusmn sup2 sup3 acute micro para middot cedil sup1 ordm raquo frac14 frac12 frac34 iquest Agrave "
                + "Aacute Acirc Atilde Auml Aring AElig Ccedil Egrave Eacute Ecirc Euml Igrave Iacute Icirc Iuml ETH "
                + "Ntilde Ograve Oacute Ocirc Otilde Ouml times Oslash Ugrave Uacute Ucirc Uuml Yacute THORN szlig "
                + "agrave aacute acirc atilde auml aring aelig ccedil egrave eacute ecirc euml igrave iacute icirc "
                + "iuml eth ntilde ograve oacute ocirc otilde ouml divide oslash ugrave uacute ucirc uuml yacute "
                + "thorn yuml").split(" ");
        for (int i = 0; i < latin1.length; i++) {
            NAMED.put(latin1[i], String.valueOf((char) (0xA0 + i)));
            LEGACY.add(latin1[i]);
        }
        String[][] more = {{"amp", "&"}, {"lt", "<"}, {"gt", ">"}, {"quot", "\""}, {"AMP", "&"}, {"LT", "<"},
            {"GT", ">"}, {"QUOT", "\""}, {"COPY", "\u00a9"}, {"REG", "\u00ae"}};
        for (String[] e : more) {
            NAMED.put(e[0], e[1]);
            LEGACY.add(e[0]);
        }
        String[][] typographic = {{"apos", "'"}, {"ndash", "\u2013"}, {"mdash", "\u2014"}, {"lsquo", "\u2018"},
            {"rsquo", "\u2019"}, {"sbquo", "\u201a"}, {"ldquo", "\u201c"}, {"rdquo", "\u201d"}, {"bdquo", "\u201e"},
            {"hellip", "\u2026"}, {"euro", "\u20ac"}, {"trade", "\u2122"}, {"bull", "\u2022"}, {"middot", "\u00b7"},
            {"thinsp", "\u2009"}, {"ensp", "\u2002"}, {"emsp", "\u2003"}, {"zwj", "\u200d"}, {"zwnj", "\u200c"},
            {"lsaquo", "\u2039"}, {"rsaquo", "\u203a"}, {"OElig", "\u0152"}, {"oelig", "\u0153"},
            {"Scaron", "\u0160"}, {"scaron", "\u0161"}, {"Yuml", "\u0178"}, {"fnof", "\u0192"}, {"dagger", "\u2020"},
            {"Dagger", "\u2021"}, {"permil", "\u2030"}, {"prime", "\u2032"}, {"Prime", "\u2033"}, {"NewLine", "\n"},
            {"Tab", "\t"}};
        for (String[] e : typographic) {
            NAMED.put(e[0], e[1]);
        }
    }

    /** Python's {@code html.unescape} for the entities above and every numeric reference. */
    static String unescapeHtml(String s) {
        if (s.indexOf('&') < 0) {
            return s;
        }
        Matcher m = CHARREF.matcher(s);
        StringBuilder out = new StringBuilder(s.length());
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(replace(m.group(1))));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String replace(String s) {
        if (s.charAt(0) == '#') {
            boolean hex = s.length() > 1 && (s.charAt(1) == 'x' || s.charAt(1) == 'X');
            String digits = s.substring(hex ? 2 : 1);
            if (digits.endsWith(";")) {
                digits = digits.substring(0, digits.length() - 1);
            }
            long num;
            try {
                num = digits.length() > 12 ? Long.MAX_VALUE : Long.parseLong(digits, hex ? 16 : 10);
            } catch (NumberFormatException e) {
                num = Long.MAX_VALUE;
            }
            if (num == 0) {
                return "\ufffd";
            }
            if (num == 0x0d) {
                return "\r";
            }
            if (num >= 0x80 && num <= 0x9f) {
                return String.valueOf(CP1252_80_9F.charAt((int) num - 0x80));
            }
            if ((num >= 0xD800 && num <= 0xDFFF) || num > 0x10FFFF) {
                return "\ufffd";
            }
            if (invalidCodepoint((int) num)) {
                return "";
            }
            return new String(Character.toChars((int) num));
        }
        if (s.endsWith(";") && NAMED.containsKey(s.substring(0, s.length() - 1))) {
            return NAMED.get(s.substring(0, s.length() - 1));
        }
        if (LEGACY.contains(s)) {
            return NAMED.get(s);
        }
        // the longest legacy name that starts the text (they need no semicolon), the rest kept
        for (int k = s.length() - 1; k > 1; k--) {
            String name = s.substring(0, k);
            if (LEGACY.contains(name)) {
                return NAMED.get(name) + s.substring(k);
            }
        }
        return "&" + s;
    }

    /** Code points html.unescape drops: C0/C1 controls but tab, LF, FF, CR; noncharacters. */
    private static boolean invalidCodepoint(int cp) {
        return (cp >= 0x1 && cp <= 0x8) || cp == 0xb || (cp >= 0xe && cp <= 0x1f) || (cp >= 0x7f && cp <= 0x9f)
                || (cp >= 0xfdd0 && cp <= 0xfdef) || (cp & 0xfffe) == 0xfffe;
    }

    // ---------------------------------------------------------------- whitespace_clean

    /** Python's str.isspace(): what {@code \s} and {@code strip()} treat as whitespace. */
    static boolean isPythonSpace(int c) {
        return c == ' ' || (c >= 0x9 && c <= 0xd) || (c >= 0x1c && c <= 0x1f) || c == 0x85 || c == 0xa0
                || c == 0x1680 || (c >= 0x2000 && c <= 0x200a) || c == 0x2028 || c == 0x2029 || c == 0x202f
                || c == 0x205f || c == 0x3000;
    }

    /** {@code re.sub(r'\s+', ' ', text).strip()} with Python's Unicode whitespace. */
    static String collapseWhitespace(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        boolean space = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (isPythonSpace(c)) {
                space = true;
            } else {
                if (space && sb.length() > 0) {
                    sb.append(' ');
                }
                space = false;
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
