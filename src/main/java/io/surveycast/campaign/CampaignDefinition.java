package io.surveycast.campaign;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A campaign as written in YAML, validated and typed: its trigger by kind, durations, the cron
 * parsed in the campaign's zone, the send window, reminders and fatigue limits. Every later step
 * uses it as it is. It serialises (Jackson) to the JSON the campaign table stores, the same as
 * before the definition was typed (values as written, attribute matches sorted), so that equal
 * definitions hash alike; {@link #stored} reads that JSON back through the same reader as files.
 */
public record CampaignDefinition(
        String key,
        String name,
        String status,                // null: keep what the database has (new campaigns start active)
        CampaignTrigger trigger,
        IsoOffset maxLateness,
        Audience audience,
        List<String> channels,
        LocalizedText question,
        @JsonInclude(JsonInclude.Include.NON_NULL) LocalizedText subject, // email subject; null: the question
        Map<String, String> templates, // channel -> template name; "email-reminder"/"sms-reminder" optional
        List<Reminder> reminders,
        IsoOffset expiresAfter,
        SendWindow sendWindow,        // null: any time
        @JsonSerialize(using = ToStringSerializer.class) ZoneId timezone, // null: UTC where the contact's is unknown
        int priority,
        Fatigue fatigue,
        Alerts alerts,
        // left out of the stored JSON when it is the default, so that campaigns applied before the
        // block existed hash as they did
        @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = FollowUp.IsDefault.class) FollowUp followUp) {

    public CampaignDefinition {
        // shared as it is (stored definitions are read once, see CampaignYamlReader.stored): nothing in it may change
        channels = List.copyOf(channels);
        templates = Collections.unmodifiableMap(new LinkedHashMap<>(templates)); // in the order written: it is stored so
        reminders = List.copyOf(reminders);
        followUp = followUp == null ? FollowUp.DEFAULT : followUp;
    }

    /**
     * A definition as the campaign table stores it (its {@code definition} JSON), read back
     * through {@link CampaignYamlReader}, so that stored campaigns are typed the same way as files.
     * @throws IllegalStateException when the stored JSON is not a definition this version can read
     */
    public static CampaignDefinition stored(String json) {
        return CampaignYamlReader.stored(json);
    }

    /** The campaign's time zone, UTC when it has none. */
    public ZoneId zoneOrUtc() {
        return timezone == null ? ZoneOffset.UTC : timezone;
    }

    /** {@code match}: attribute name -> accepted values (any of them); {@code sample}: fraction kept, 0 to 1. */
    public record Audience(Map<String, List<String>> match, double sample) {
        public Audience {
            match = Collections.unmodifiableMap(new TreeMap<>(match));
        }
    }

    /** A reminder step: {@code after} the invite, on {@code channel}, with its own {@code template} (null: the campaign's). */
    public record Reminder(IsoOffset after, String channel, String template) {
    }

    /**
     * Closing the loop on detractors: {@code webhook} a Slack-compatible incoming-webhook URL (or
     * null), {@code notifyOwner} an email to the contact's account owner (attribute owner_email),
     * {@code everyComment} every answer with a comment posted to the webhook too, not only
     * detractors (left out of the stored JSON when false, so that campaigns hash as before).
     */
    public record Alerts(String webhook, boolean notifyOwner,
                         @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean everyComment) {
        public static final Alerts NONE = new Alerts(null, false, false);

        public Alerts(String webhook, boolean notifyOwner) {
            this(webhook, notifyOwner, false);
        }

        /** Whether answers with a comment are posted to the webhook, whatever their score. */
        public boolean postsComments() {
            return everyComment && webhook != null;
        }
    }

    /** Per-campaign limits; null fields follow the global policy. */
    public record Fatigue(Integer minDaysBetweenSurveys, Integer maxSurveysPerYear, Integer maxMessagesPerWeek) {
        /** The limits in effect: these where set, the global policy's elsewhere. */
        public FatiguePolicy over(FatiguePolicy global) {
            return new FatiguePolicy(
                    minDaysBetweenSurveys == null ? global.minDaysBetweenSurveys() : minDaysBetweenSurveys,
                    maxSurveysPerYear == null ? global.maxSurveysPerYear() : maxSurveysPerYear,
                    maxMessagesPerWeek == null ? global.maxMessagesPerWeek() : maxMessagesPerWeek);
        }
    }

    /**
     * Closing the loop ({@code follow-up:}): who owns the cases answers open, who hears of overdue
     * ones, which categories open a case and when it is due, the links the thank-you page shows,
     * and the email promoters get.
     *
     * @param owner         the owner of a case whose contact has no {@code owner_email}; null: unassigned
     * @param escalateTo    also told when a case becomes overdue; null: only its owner
     * @param links         link name -> http(s) URL, in the order written
     * @param promoterEmail null: no email to promoters
     */
    public record FollowUp(String owner, String escalateTo, CaseRule detractor, CaseRule passive,
                           Map<String, String> links, PromoterEmail promoterEmail) {
        public static final CaseRule DETRACTOR_DEFAULT = new CaseRule(true, IsoOffset.parse("PT48H"));
        public static final CaseRule PASSIVE_DEFAULT = new CaseRule(false, IsoOffset.parse("P7D"));
        public static final FollowUp DEFAULT = new FollowUp(null, null, DETRACTOR_DEFAULT, PASSIVE_DEFAULT, Map.of(), null);

        public FollowUp {
            links = Collections.unmodifiableMap(new LinkedHashMap<>(links));
        }

        /** The rule for an answer's category ({@code detractor}, {@code passive}); promoters open no case. */
        public java.util.Optional<CaseRule> caseRule(String category) {
            return switch (category) {
                case "detractor" -> java.util.Optional.of(detractor);
                case "passive" -> java.util.Optional.of(passive);
                default -> java.util.Optional.empty();
            };
        }

        /** Jackson's filter for leaving the default block out of the stored definition. */
        static final class IsDefault {
            @Override
            public boolean equals(Object other) {
                return DEFAULT.equals(other);
            }

            @Override
            public int hashCode() {
                return 0;
            }
        }
    }

    /** Whether answers of a category open a case, and how long after the answer it is due. */
    public record CaseRule(@com.fasterxml.jackson.annotation.JsonProperty("case") boolean opensCase, IsoOffset due) {
    }

    /** The email promoters get {@code after} their answer, with its own {@code template}. */
    public record PromoterEmail(String template, IsoOffset after) {
    }
}
