package io.surveycast.contact;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.IllformedLocaleException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.commons.validator.routines.EmailValidator;

/** Checks and normalises the value of each contact field; a bad value is a {@link FieldError}. */
final class ContactFieldParser {
    private static final Set<String> ZONES = ZoneId.getAvailableZoneIds();
    private static final EmailValidator EMAIL = EmailValidator.getInstance(false, false);
    private static final PhoneZones PHONE_ZONES = new PhoneZones();
    private final PhoneNumberUtil phones = PhoneNumberUtil.getInstance();
    private final String defaultRegion;

    ContactFieldParser(String defaultRegion) {
        if (!phones.getSupportedRegions().contains(defaultRegion)) {
            throw new IllegalArgumentException("unknown phone region " + defaultRegion);
        }
        this.defaultRegion = defaultRegion;
    }

    String externalId(String value) throws FieldError {
        if (value == null) {
            throw new FieldError("external_id", "missing");
        }
        limit("external_id", value, ContactLimits.EXTERNAL_ID);
        oneLine("external_id", value);
        return value;
    }

    /** A contact's name: one line (it goes into email headers), at most {@link ContactLimits#NAME} characters. */
    String name(String value) throws FieldError {
        if (value == null) {
            return null;
        }
        limit("name", value, ContactLimits.NAME);
        oneLine("name", value);
        return value;
    }

    /** An attribute's value, at most {@link ContactLimits#ATTRIBUTE_VALUE} characters. */
    String attribute(String name, String value) throws FieldError {
        if (value == null) {
            return null;
        }
        limit(name, value, ContactLimits.ATTRIBUTE_VALUE);
        return value;
    }

    /** Refuses text that cannot be stored (NUL, lone surrogate) or is longer than {@code max}. */
    static void limit(String column, String value, int max) throws FieldError {
        String reason = ContactLimits.unstorable(value);
        if (reason == null) {
            reason = ContactLimits.tooLong(value, max);
        }
        if (reason != null) {
            throw new FieldError(column, reason);
        }
    }

    private static void oneLine(String column, String value) throws FieldError {
        String reason = ContactLimits.controlCharacter(value);
        if (reason != null) {
            throw new FieldError(column, reason);
        }
    }

    String email(String value) throws FieldError {
        if (value == null) {
            return null;
        }
        limit("email", value, ContactLimits.EMAIL);
        if (!EMAIL.isValid(value)) {
            throw new FieldError("email", "not a valid email address: " + shown(value));
        }
        int at = value.lastIndexOf('@');
        return value.substring(0, at) + value.substring(at).toLowerCase(Locale.ROOT);
    }

    /** The number in E.164; numbers without a country code are read in the default region. */
    String phone(String value) throws FieldError {
        if (value == null) {
            return null;
        }
        limit("phone", value, ContactLimits.PHONE);
        PhoneNumber number;
        try {
            number = phones.parse(value, defaultRegion);
        } catch (NumberParseException e) {
            throw new FieldError("phone", "not a phone number: " + shown(value));
        }
        if (!phones.isValidNumber(number)) {
            throw new FieldError("phone", "not a valid phone number"
                    + (value.startsWith("+") ? "" : " in region " + defaultRegion) + ": " + shown(value));
        }
        return phones.format(number, PhoneNumberUtil.PhoneNumberFormat.E164);
    }

    /** The zones an E.164 number may be in (see {@link PhoneZones}), empty when unknown. */
    List<String> phoneZones(String e164) {
        if (e164 == null) {
            return List.of();
        }
        try {
            return PHONE_ZONES.of(phones.parse(e164, defaultRegion));
        } catch (NumberParseException e) {
            return List.of();
        }
    }

    /** The time zone of an E.164 number when it may be in exactly one zone, else null. */
    String phoneTimezone(String e164) {
        List<String> zones = phoneZones(e164);
        return zones.size() == 1 ? zones.get(0) : null;
    }

    /** The zones of an E.164 number when there are several (a text[] literal), else null. */
    static String zonesLiteral(List<String> zones) {
        return zones.size() < 2 ? null : "{" + String.join(",", zones) + "}";
    }

    String locale(String value) throws FieldError {
        if (value == null) {
            return null;
        }
        limit("locale", value, ContactLimits.LOCALE);
        try {
            Locale locale = new Locale.Builder().setLanguageTag(value.replace('_', '-')).build();
            if (locale.getLanguage().isEmpty()) {
                throw new IllformedLocaleException("no language");
            }
            return locale.toLanguageTag();
        } catch (IllformedLocaleException e) {
            throw new FieldError("locale", "not a language tag (e.g. en, fr-CA): " + shown(value));
        }
    }

    String timezone(String value) throws FieldError {
        if (value == null) {
            return null;
        }
        limit("timezone", value, ContactLimits.TIMEZONE);
        if (!ZONES.contains(value)) {
            throw new FieldError("timezone", "not an IANA time zone (e.g. Europe/Paris): " + shown(value));
        }
        return value;
    }

    /**
     * A date (midnight in the contact's time zone, else the phone's first zone, else UTC: the
     * planner places a date by the zone chain through {@link #onboardedOn}), a local date-time in
     * that zone, or a date-time with an offset.
     */
    OffsetDateTime onboardedAt(String value, String timezone) throws FieldError {
        if (value == null) {
            return null;
        }
        limit("onboarded_at", value, ContactLimits.DATE);
        ZoneId zone = timezone == null ? ZoneOffset.UTC : ZoneId.of(timezone);
        try {
            if (value.length() == 10) {
                return LocalDate.parse(value).atStartOfDay(zone).toOffsetDateTime();
            }
            if (value.endsWith("Z") || value.matches(".*[+-]\\d\\d:?\\d\\d$")) {
                return OffsetDateTime.parse(value).withOffsetSameInstant(ZoneOffset.UTC);
            }
            return LocalDateTime.parse(value).atZone(zone).toOffsetDateTime();
        } catch (DateTimeParseException e) {
            throw new FieldError("onboarded_at", "not a valid ISO-8601 date or date-time: " + shown(value) + why(e));
        }
    }

    /** The date of an onboarded_at given as a date only, else null. */
    LocalDate onboardedOn(String value) {
        return value != null && value.length() == 10 ? LocalDate.parse(value) : null;
    }

    LocalDate renewalDate(String value) throws FieldError {
        return date("renewal_date", value);
    }

    /** The day the customer left (reports count churn within a window after an answer); empty clears it. */
    LocalDate churnedAt(String value) throws FieldError {
        return date("churned_at", value);
    }

    /** The date in column {@code column}, null for none. */
    private static LocalDate date(String column, String value) throws FieldError {
        if (value == null) {
            return null;
        }
        limit(column, value, ContactLimits.DATE);
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw new FieldError(column, "not a valid ISO-8601 date (YYYY-MM-DD): " + shown(value) + why(e));
        }
    }

    /** A cell value as it may appear in a one-line error: control characters escaped, long values cut. */
    static String shown(String value) {
        StringBuilder out = new StringBuilder();
        value.codePoints().limit(80).forEach(c -> {
            if (c == '\n') {
                out.append("\\n");
            } else if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return value.codePointCount(0, value.length()) > 80 ? out + "..." : out.toString();
    }

    /** The calendar reason behind a well-formed but impossible date, e.g. (Invalid date 'FEBRUARY 30'). */
    private static String why(DateTimeParseException e) {
        return e.getCause() != null && e.getCause().getMessage() != null ? " (" + e.getCause().getMessage() + ")" : "";
    }
}
