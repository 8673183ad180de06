package io.surveycast.followup;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.surveycast.channel.TemplateStore;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;

/**
 * What is told about cases, queued in the notification outbox in the transaction that changes the
 * case (so it is sent once it is committed, retried, and taken over by another node if this one
 * dies): the webhooks {@code case.opened}, {@code case.overdue}, {@code case.closed} to every
 * configured receiver, signed like the response webhooks, and the assignment and escalation emails.
 */
final class CaseNotices {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<String> webhookUrls;
    private final TemplateStore templates;
    private final String publicUrl;
    private final CaseQueries queries = new CaseQueries();

    CaseNotices(List<String> webhookUrls, TemplateStore templates, String publicUrl) {
        this.webhookUrls = List.copyOf(webhookUrls);
        this.templates = templates;
        this.publicUrl = publicUrl.replaceAll("/+$", "");
    }

    void webhook(DSLContext tx, FollowUpCase c, String event, Instant now) {
        if (webhookUrls.isEmpty()) {
            return;
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("event", event);
        body.put("sent_at", now.toString());
        body.set("case", JSON.valueToTree(c.json()));
        body.put("url", caseUrl(c));
        String payload = body.toString();
        for (String url : webhookUrls) {
            queries.notify(tx, c.responseId(), "webhook", event, url, payload, now);
        }
    }

    void assigned(DSLContext tx, FollowUpCase c, String actor, Instant now) {
        if (looksLikeEmail(c.owner())) {
            email(tx, c, c.owner(), "case.assigned", "case-assigned",
                    "Follow-up case assigned to you: " + who(c) + " scored " + c.score() + "/10", actor, now);
        }
    }

    /** The owner and the escalation address, each once. */
    void overdue(DSLContext tx, FollowUpCase c, String escalateTo, Instant now) {
        String subject = "Overdue follow-up: " + who(c) + " scored " + c.score() + "/10";
        if (looksLikeEmail(c.owner())) {
            email(tx, c, c.owner(), "case.overdue", "case-overdue", subject, null, now);
        }
        if (looksLikeEmail(escalateTo) && !escalateTo.equalsIgnoreCase(String.valueOf(c.owner()))) {
            email(tx, c, escalateTo, "case.overdue", "case-overdue", subject, null, now);
        }
        webhook(tx, c, "case.overdue", now);
    }

    private void email(DSLContext tx, FollowUpCase c, String to, String event, String template, String subject, String actor,
                       Instant now) {
        Map<String, Object> model = new HashMap<>();
        model.put("contactName", c.contactName() == null ? c.externalId() : c.contactName());
        model.put("externalId", c.contactName() == null ? "" : c.externalId());
        model.put("score", c.score());
        model.put("comment", c.comment() == null ? "" : c.comment());
        model.put("campaign", c.campaignName());
        model.put("owner", c.owner() == null ? "(unassigned)" : c.owner());
        model.put("dueAt", c.dueAt().toString());
        model.put("actor", actor == null ? "" : actor);
        model.put("caseUrl", caseUrl(c));
        ObjectNode mail = JSON.createObjectNode();
        mail.put("subject", subject);
        mail.put("text", templates.render("email", template, null, "txt", model));
        mail.put("html", templates.render("email", template, null, "html", model));
        queries.notify(tx, c.responseId(), "email", event, to, mail.toString(), now);
    }

    String caseUrl(FollowUpCase c) {
        return publicUrl + "/cases/" + c.id();
    }

    private static String who(FollowUpCase c) {
        return c.contactName() == null ? c.externalId() : c.contactName();
    }

    static boolean looksLikeEmail(String text) {
        return text != null && text.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    }
}
