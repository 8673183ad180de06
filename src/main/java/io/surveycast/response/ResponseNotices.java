package io.surveycast.response;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.surveycast.config.Settings;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.jooq.DSLContext;

/**
 * Decides what is told about a response and queues it: {@code response.created} and
 * {@code response.updated} to every configured webhook URL, and for a detractor (0-6) the
 * campaign's alerts (its Slack-compatible webhook, an email to the account owner). Alerts wait a
 * few seconds ({@code SURVEYCAST_ALERT_DELAY}) so that the "why?" given right after the score is in them.
 */
public final class ResponseNotices {
    static final ObjectMapper JSON = new ObjectMapper();
    private final List<String> webhookUrls;
    private final Duration alertDelay;
    private final String publicUrl;

    public ResponseNotices(List<String> webhookUrls, Duration alertDelay, String publicUrl) {
        this.webhookUrls = List.copyOf(webhookUrls);
        this.alertDelay = alertDelay;
        this.publicUrl = publicUrl.replaceAll("/+$", "");
    }

    public static ResponseNotices fromSettings(Settings settings) {
        List<String> urls = Arrays.stream(settings.get("surveycast.webhook.urls", "").split("[,\\s]+"))
                .map(String::strip).filter(s -> !s.isEmpty()).toList();
        var outgoing = io.surveycast.config.OutgoingUrls.fromSettings(settings);
        List<String> refused = urls.stream().filter(url -> outgoing.refusal(url, false) != null)
                .map(url -> "SURVEYCAST_WEBHOOK_URLS: " + url + ": " + outgoing.refusal(url, false)).toList();
        if (!refused.isEmpty()) {
            throw new io.surveycast.config.InvalidInputException(refused);
        }
        return new ResponseNotices(urls, Duration.parse(settings.get("surveycast.alert.delay", "PT15S")),
                settings.publicUrl());
    }

    /** The webhook receivers every event goes to ({@code SURVEYCAST_WEBHOOK_URLS}). */
    public List<String> webhookUrls() {
        return webhookUrls;
    }

    void created(DSLContext tx, ResponseQueries queries, SurveyInvitation after, Instant now) {
        webhooks(tx, queries, after, "response.created", now);
        if (after.score() <= 6) {
            alerts(tx, queries, after, now);
        }
        commentPost(tx, queries, after, now);
    }

    void updated(DSLContext tx, ResponseQueries queries, SurveyInvitation before, SurveyInvitation after, Instant now) {
        webhooks(tx, queries, after, "response.updated", now);
        if (after.score() <= 6 && before.score() > 6) {
            alerts(tx, queries, after, now); // became a detractor: someone should call
        }
        commentPost(tx, queries, after, now);
    }

    /**
     * With the campaign's {@code alerts.every-comment}, an answer that has a comment is posted to
     * its webhook once (the database keeps one such post per response), after the alert delay so
     * that a comment typed on is in it; the post is built when sent, from the answer as it is then.
     */
    private void commentPost(DSLContext tx, ResponseQueries queries, SurveyInvitation r, Instant now) {
        var alerts = r.campaign().alerts();
        if (alerts == null || !alerts.postsComments() || r.comment() == null) {
            return;
        }
        queries.notifyOnce(tx, r.responseId(), "comment_webhook", "comment", alerts.webhook(), "{}", now, now.plus(alertDelay));
    }

    private void webhooks(DSLContext tx, ResponseQueries queries, SurveyInvitation r, String event, Instant now) {
        if (webhookUrls.isEmpty()) {
            return;
        }
        String payload = payload(r, event, now).toString();
        for (String url : webhookUrls) {
            queries.notify(tx, r.responseId(), "webhook", event, url, payload, now);
        }
    }

    private void alerts(DSLContext tx, ResponseQueries queries, SurveyInvitation r, Instant now) {
        var alerts = r.campaign().alerts();
        if (alerts == null) {
            return;
        }
        Instant at = now.plus(alertDelay);
        if (alerts.webhook() != null) {
            queries.notify(tx, r.responseId(), "alert_webhook", "detractor", alerts.webhook(), "{}", at);
        }
        String owner = ownerEmail(r);
        if (alerts.notifyOwner() && owner != null) {
            queries.notify(tx, r.responseId(), "alert_email", "detractor", owner, "{}", at);
        }
    }

    /** The body of a response webhook: the response as it is now, with its contact and a link to it. */
    ObjectNode payload(SurveyInvitation r, String event, Instant now) {
        ObjectNode body = JSON.createObjectNode();
        body.put("event", event);
        body.put("sent_at", now.toString());
        ObjectNode response = body.putObject("response");
        response.put("id", r.responseId());
        response.put("score", r.score());
        response.put("category", Responses.category(r.score()));
        response.put("comment", r.comment());
        response.put("channel", r.responseChannel());
        response.put("received_at", r.receivedAt().toString());
        response.put("url", responseUrl(r));
        ObjectNode invitation = body.putObject("invitation");
        invitation.put("id", r.invitationId());
        invitation.put("campaign", r.campaign().key());
        ObjectNode contact = body.putObject("contact");
        contact.put("external_id", r.externalId());
        contact.put("name", r.contactName());
        contact.put("email", r.contactEmail());
        return body;
    }

    String responseUrl(SurveyInvitation r) {
        return publicUrl + "/responses/" + r.responseId();
    }

    static String ownerEmail(SurveyInvitation r) {
        if (r.attributesJson() == null) {
            return null;
        }
        try {
            var owner = JSON.readTree(r.attributesJson()).get("owner_email");
            return owner == null || owner.asText().isBlank() ? null : owner.asText().strip();
        } catch (java.io.IOException e) {
            return null;
        }
    }
}
