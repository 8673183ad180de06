package io.surveycast.campaign;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * A campaign as written in YAML, validated and normalised (durations as ISO-8601 strings,
 * attribute matches sorted), so that equal definitions serialise to equal JSON.
 */
public record CampaignDefinition(
        String key,
        String name,
        String status,                // null: keep what the database has (new campaigns start active)
        Trigger trigger,
        String maxLateness,
        Audience audience,
        List<String> channels,
        LocalizedText question,
        @JsonInclude(JsonInclude.Include.NON_NULL) LocalizedText subject, // email subject; null: the question
        Map<String, String> templates, // channel -> template name; "email-reminder"/"sms-reminder" optional
        List<Reminder> reminders,
        String expiresAfter,
        String sendWindow,            // e.g. "MON-FRI 09:00-17:00", null: any time
        String timezone,
        int priority,
        Fatigue fatigue,
        Alerts alerts) {

    public record Trigger(String type, String offset, String cron, String spread, String event, String delay) {
    }

    /** {@code match}: attribute name -> accepted values (any of them); {@code sample}: fraction kept, 0 to 1. */
    public record Audience(Map<String, List<String>> match, double sample) {
    }

    public record Reminder(String after, String channel, String template) {
    }

    /**
     * Closing the loop on detractors: {@code webhook} a Slack-compatible incoming-webhook URL (or
     * null), {@code notifyOwner} an email to the contact's account owner (attribute owner_email).
     */
    public record Alerts(String webhook, boolean notifyOwner) {
        public static final Alerts NONE = new Alerts(null, false);
    }

    /** Per-campaign limits; null fields follow the global policy. */
    public record Fatigue(Integer minDaysBetweenSurveys, Integer maxSurveysPerYear, Integer maxMessagesPerWeek) {
    }
}
