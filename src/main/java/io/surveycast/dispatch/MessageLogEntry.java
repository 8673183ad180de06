package io.surveycast.dispatch;

import java.time.Instant;

/** One message as ops see it: what was (or is to be) sent to whom, when, and what became of it. */
public record MessageLogEntry(long messageId, String externalId, String campaign, String cycle, String kind, int step,
                              String channel, String status, Instant notBefore, Instant sentAt, String providerId,
                              String error, int attempts, Instant updatedAt) {

    /** The columns of {@code messages export}, in order (DESIGN.md). */
    public static final String[] COLUMNS = {"message_id", "external_id", "campaign", "cycle", "kind", "step", "channel",
            "status", "not_before", "sent_at", "provider_id", "error"};

    public String[] exportValues() {
        return new String[] {Long.toString(messageId), externalId, campaign, cycle, kind, Integer.toString(step), channel,
                status, text(notBefore), text(sentAt), providerId == null ? "" : providerId, error == null ? "" : error};
    }

    private static String text(Instant t) {
        return t == null ? "" : t.toString();
    }

    /** A failed message as {@code messages failed --format json} and {@code GET /api/messages/failed} give it. */
    public java.util.Map<String, Object> failedRow() {
        java.util.Map<String, Object> row = new java.util.LinkedHashMap<>();
        row.put("message_id", messageId);
        row.put("external_id", externalId);
        row.put("campaign", campaign);
        row.put("kind", kind);
        row.put("step", step);
        row.put("channel", channel);
        row.put("attempts", attempts);
        row.put("failed_at", updatedAt.toString());
        row.put("error", error);
        return row;
    }
}
