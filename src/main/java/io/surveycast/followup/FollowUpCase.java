package io.surveycast.followup;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A follow-up case as it is listed and shown: the case, the answer it is about, and its notes. */
public record FollowUpCase(
        long id,
        long responseId,
        long contactId,
        String externalId,
        String contactName,
        String campaign,
        String campaignName,
        String category,
        int score,
        String comment,
        String owner,
        String status,
        Instant openedAt,
        Instant dueAt,
        Instant firstActionAt,
        Instant closedAt,
        String closeReason,
        Instant overdueAt,
        List<CaseNote> notes) {

    /** Still open at or after its due time. */
    public boolean overdueAt(Instant now) {
        return !status.equals("closed") && !dueAt.isAfter(now);
    }

    FollowUpCase withNotes(List<CaseNote> all) {
        return new FollowUpCase(id, responseId, contactId, externalId, contactName, campaign, campaignName, category, score,
                comment, owner, status, openedAt, dueAt, firstActionAt, closedAt, closeReason, overdueAt, List.copyOf(all));
    }

    /** The contract's JSON object (CLI {@code --format json}, the API, webhooks). */
    public Map<String, Object> json() {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", id);
        row.put("response_id", responseId);
        row.put("external_id", externalId);
        row.put("campaign", campaign);
        row.put("category", category);
        row.put("score", score);
        row.put("comment", comment);
        row.put("owner", owner);
        row.put("status", status);
        row.put("opened_at", text(openedAt));
        row.put("due_at", text(dueAt));
        row.put("first_action_at", text(firstActionAt));
        row.put("closed_at", text(closedAt));
        row.put("close_reason", closeReason);
        row.put("notes", notes.stream().map(n -> {
            Map<String, Object> note = new LinkedHashMap<>();
            note.put("author", n.author());
            note.put("at", n.at().toString());
            note.put("text", n.text());
            return note;
        }).toList());
        return row;
    }

    private static String text(Instant at) {
        return at == null ? null : at.toString();
    }
}
