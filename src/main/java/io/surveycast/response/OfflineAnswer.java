package io.surveycast.response;

import io.surveycast.config.StorableText;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One answer collected elsewhere (by phone, in person, by another tool), as {@code responses import}
 * and {@code POST /api/responses} take it: checked field by field, every error kept (a row is fixed
 * in one pass). Whether the contact and the campaign exist is for {@link OfflineAnswers} to say.
 */
record OfflineAnswer(String externalId, int score, String comment, Instant receivedAt, String campaign, String channel) {
    /** The fields, in the order a CSV header lists them. */
    static final List<String> FIELDS = List.of("external_id", "score", "comment", "received_at", "campaign", "channel");
    static final Set<String> REQUIRED = Set.of("external_id", "score", "received_at", "campaign");
    /** How an answer may have been collected; {@code offline} when the file does not say. */
    static final List<String> CHANNELS = List.of("offline", "phone", "in-person", "email", "sms", "web");
    static final String DEFAULT_CHANNEL = "offline";

    /** A field that is wrong, and why. */
    record Problem(String field, String reason) {
    }

    /** The answer, or what is wrong with it (never both). */
    record Checked(OfflineAnswer answer, List<Problem> problems) {
    }

    /**
     * Checks one answer's fields ({@code null} or blank: absent). {@code now}: an answer received
     * after it is refused (no answer before it was asked).
     */
    static Checked check(Map<String, String> fields, Instant now) {
        List<Problem> problems = new ArrayList<>();
        for (String field : FIELDS) {
            String value = fields.get(field);
            String bad = value == null ? null : StorableText.problem(value);
            if (bad == null && value != null && value.indexOf('\uFFFD') >= 0) {
                bad = "not valid UTF-8 text";
            }
            if (bad != null) {
                problems.add(new Problem(field, bad));
            } else if (REQUIRED.contains(field) && blank(value)) {
                problems.add(new Problem(field, "missing"));
            }
        }
        if (!problems.isEmpty()) {
            return new Checked(null, problems);
        }
        String externalId = fields.get("external_id").strip();
        if (externalId.length() > 255) {
            problems.add(new Problem("external_id", "longer than 255 characters"));
        }
        Integer score = score(fields.get("score").strip(), problems);
        String comment = blank(fields.get("comment")) ? null : fields.get("comment").strip();
        if (comment != null && comment.length() > Responses.MAX_COMMENT) {
            problems.add(new Problem("comment", "longer than " + Responses.MAX_COMMENT + " characters ("
                    + comment.length() + ")"));
        }
        Instant receivedAt = receivedAt(fields.get("received_at").strip(), now, problems);
        String campaign = fields.get("campaign").strip();
        String channel = blank(fields.get("channel")) ? DEFAULT_CHANNEL : fields.get("channel").strip();
        if (!CHANNELS.contains(channel)) {
            problems.add(new Problem("channel", "one of " + String.join(", ", CHANNELS) + ", not " + shown(channel)));
        }
        if (!problems.isEmpty()) {
            return new Checked(null, problems);
        }
        return new Checked(new OfflineAnswer(externalId, score, comment, receivedAt, campaign, channel), List.of());
    }

    private static Integer score(String text, List<Problem> problems) {
        if (text.matches("\\d{1,2}")) {
            int score = Integer.parseInt(text);
            if (score <= 10) {
                return score;
            }
        }
        problems.add(new Problem("score", "a whole number from 0 to 10, not " + shown(text)));
        return null;
    }

    private static Instant receivedAt(String text, Instant now, List<Problem> problems) {
        Instant at;
        try {
            at = OffsetDateTime.parse(text).toInstant().truncatedTo(java.time.temporal.ChronoUnit.MICROS); // as stored
        } catch (DateTimeParseException e) {
            problems.add(new Problem("received_at", "an ISO date-time with its offset (2027-04-08T10:30:00Z, "
                    + "2027-04-08T12:30:00+02:00), not " + shown(text)));
            return null;
        }
        if (at.isAfter(now)) {
            problems.add(new Problem("received_at", text + " is in the future (now " + now + ")"));
            return null;
        }
        return at;
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    /** A value as an error message shows it: quoted, cut when long. */
    static String shown(String value) {
        String cut = value.length() > 60 ? value.substring(0, 60) + "..." : value;
        return "\"" + cut + "\"";
    }
}
