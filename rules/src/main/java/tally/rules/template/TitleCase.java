package tally.rules.template;

import java.util.Locale;

/**
 * Prometheus's {@code title}: golang.org/x/text/cases Title for American English with NoLower. The first
 * cased letter of each word is title-cased and the rest is left alone. Words follow x/text's approximation
 * of Unicode word breaking: letters, digits, marks and connectors join a word; a single "mid" character
 * (apostrophe, period, colon, middle dot, ...) joins too, but two in a row break; anything else breaks.
 */
final class TitleCase {
    private TitleCase() {}

    static String title(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        boolean midWord = false;
        boolean prevMid = false;
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            boolean mid = isMid(c);
            if (prevMid && mid) midWord = false;
            if (isCased(c)) {
                if (!midWord) {
                    appendTitle(sb, c);
                    midWord = true;
                } else {
                    sb.appendCodePoint(c);
                }
            } else {
                sb.appendCodePoint(c);
                if (!mid && !isLetterLike(c)) midWord = false;
            }
            prevMid = mid;
        }
        return sb.toString();
    }

    private static boolean isCased(int c) {
        return Character.isUpperCase(c) || Character.isLowerCase(c) || Character.isTitleCase(c);
    }

    /** MidLetter, MidNumLet and Single_Quote of Unicode word breaking. */
    private static boolean isMid(int c) {
        return switch (c) {
            case '\'', '.', ':', 0x00B7, 0x0387, 0x055F, 0x05F4, 0x2018, 0x2019, 0x2024, 0x2027, 0xFE13, 0xFE52,
                    0xFE55, 0xFF07, 0xFF0E, 0xFF1A -> true;
            default -> false;
        };
    }

    /** ALetter, Hebrew_Letter, Numeric, ExtendNumLet, Extend, Format and ZWJ: runes that never break a word. */
    private static boolean isLetterLike(int c) {
        if (Character.isIdeographic(c)) return false;
        Character.UnicodeBlock b = Character.UnicodeBlock.of(c);
        if (b == Character.UnicodeBlock.HIRAGANA || b == Character.UnicodeBlock.KATAKANA) return false;
        return switch (Character.getType(c)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                    Character.MODIFIER_LETTER, Character.OTHER_LETTER, Character.DECIMAL_DIGIT_NUMBER,
                    Character.NON_SPACING_MARK, Character.ENCLOSING_MARK, Character.COMBINING_SPACING_MARK,
                    Character.CONNECTOR_PUNCTUATION, Character.FORMAT -> true;
            default -> false;
        };
    }

    /** Full title-case mapping: ǆ becomes ǅ, ß becomes Ss, ﬁ becomes Fi, ŉ becomes ʼN. */
    private static void appendTitle(StringBuilder sb, int c) {
        int t = Character.toTitleCase(c);
        if (t != c) {
            sb.appendCodePoint(t);
            return;
        }
        String up = new String(Character.toChars(c)).toUpperCase(Locale.ROOT);
        if (up.codePointCount(0, up.length()) > 1) {
            // Upper-case expansions become title case by lowering what follows a cased first letter.
            int first = up.codePointAt(0);
            String rest = up.substring(Character.charCount(first));
            sb.appendCodePoint(first).append(isCased(first) ? rest.toLowerCase(Locale.ROOT) : rest);
            return;
        }
        sb.appendCodePoint(c);
    }
}
