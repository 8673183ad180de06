package io.surveycast.contact;

/**
 * The size limits of contact fields, the same for the CSV import and the API (README, "Contacts
 * CSV"): without them a 5 MB name or attribute value was stored and then shown in every page,
 * export and message. Text that PostgreSQL or a message header cannot carry (NUL, a lone
 * surrogate; a line break in a name, which goes into email headers) is refused too.
 */
final class ContactLimits {
    static final int EXTERNAL_ID = 255;
    static final int EMAIL = 254;
    static final int PHONE = 32;
    static final int NAME = 200;
    static final int LOCALE = 35;
    static final int TIMEZONE = 64;
    static final int DATE = 40;
    static final int ATTRIBUTE_NAME = 64;
    static final int ATTRIBUTE_VALUE = 1000;
    static final int ATTRIBUTES = 100;

    private ContactLimits() {
    }

    /** Why a value cannot be stored at all (NUL, lone surrogate), or null. */
    static String unstorable(String text) {
        return io.surveycast.config.StorableText.problem(text);
    }

    /** Why a value is refused for a field of at most {@code max} characters, or null. */
    static String tooLong(String value, int max) {
        return value.length() > max ? "longer than " + max + " characters (" + value.length() + ")" : null;
    }

    /** Why a one-line value (name, attribute) is refused: a control character such as CR or LF, or null. */
    static String controlCharacter(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                return "contains a control character (line break, tab...): one line of text expected";
            }
        }
        return null;
    }

    /** Why an attribute name is refused, or null. */
    static String attributeName(String name) {
        String reason = tooLong(name, ATTRIBUTE_NAME);
        return reason != null ? "attribute name " + reason : controlCharacter(name) != null
                ? "attribute name contains a control character" : null;
    }
}
