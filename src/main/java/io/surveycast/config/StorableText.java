package io.surveycast.config;

/**
 * Whether text can be stored: PostgreSQL refuses NUL in text (the statement fails, which was a
 * 500 or an exit 1 with a stack trace), and a lone surrogate cannot be encoded as UTF-8.
 */
public final class StorableText {
    private StorableText() {
    }

    /** Why {@code text} cannot be stored (NUL, lone surrogate), or null when it can. */
    public static String problem(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0) {
                return "contains a NUL character";
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return "contains a lone surrogate (not valid text)";
            }
        }
        return null;
    }
}
