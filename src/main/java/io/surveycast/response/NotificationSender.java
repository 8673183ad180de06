package io.surveycast.response;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.surveycast.channel.Channel;
import io.surveycast.channel.OutboundMessage;
import io.surveycast.channel.SendResult;
import io.surveycast.channel.TemplateStore;
import java.net.URI;
import io.surveycast.config.OutgoingUrls;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.util.Timeout;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers queued notifications: webhooks as JSON POSTs signed with HMAC-SHA256 over the body
 * ({@code X-Surveycast-Signature: sha256=<hex>}), detractor alerts as a Slack-compatible JSON POST
 * or an email to the account owner; emails composed when queued (kind {@code email}: follow-up
 * case assignments and escalations). A receiver that fails is tried again with exponential backoff
 * and jitter, up to {@link #MAX_ATTEMPTS} times. Alerts are built when sent, from the response as
 * it is then, so a comment given after the score is in them.
 */
public final class NotificationSender {
    private static final Logger LOG = LoggerFactory.getLogger(NotificationSender.class);
    static final int MAX_ATTEMPTS = 10;
    private final DSLContext dsl;
    private final Clock clock;
    private final ResponseNotices notices;
    private final Channel email;
    private final TemplateStore templates;
    private final byte[] secret;
    private final String mailDomain;
    private final OutgoingUrls outgoing;
    private final CloseableHttpClient http;
    private final NotificationQueries queries = new NotificationQueries();
    private final ResponseQueries responseQueries = new ResponseQueries();

    public NotificationSender(DSLContext dsl, Clock clock, ResponseNotices notices, Channel email,
                              TemplateStore templates, String secret, String mailFrom) {
        this(dsl, clock, notices, email, templates, secret, mailFrom, OutgoingUrls.publicOnly());
    }

    /** @param outgoing which URLs may be called, checked again before each send (DNS may have changed since) */
    public NotificationSender(DSLContext dsl, Clock clock, ResponseNotices notices, Channel email,
                              TemplateStore templates, String secret, String mailFrom, OutgoingUrls outgoing) {
        this.outgoing = outgoing;
        // the connection resolves its host through the same check (DNS rebinding); no redirects, no retries
        this.http = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDnsResolver(outgoing.dnsResolver())
                        .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(Timeout.ofSeconds(5))
                                .setSocketTimeout(Timeout.ofSeconds(10)).build())
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(Timeout.ofSeconds(10)).build())
                .disableRedirectHandling().disableAutomaticRetries().disableCookieManagement()
                .build();
        this.dsl = dsl;
        this.clock = clock;
        this.notices = notices;
        this.email = email;
        this.templates = templates;
        this.secret = secret == null || secret.isEmpty() ? null : secret.getBytes(StandardCharsets.UTF_8);
        this.mailDomain = mailFrom.substring(mailFrom.indexOf('@') + 1).replace(">", "").strip();
    }

    /** Sends what is due now; returns how many were handled. */
    public int sendDue() {
        return sendDueAt(clock.instant(), null);
    }

    /**
     * Sends the notifications of {@code event} (all when null) due at {@code now}, recording their
     * outcome at {@code now}: {@code run-due} sends the digests of each simulated instant this way.
     * (Not an overload of {@link #sendDue()}: the notify route's bean call would pick it, with nulls.)
     */
    public int sendDueAt(Instant now, String event) {
        int handled = 0;
        List<NotificationQueries.Due> due;
        while (!(due = queries.claim(dsl, now, 20, Duration.ofMinutes(2), event)).isEmpty()) {
            for (NotificationQueries.Due n : due) {
                deliver(n, now);
                handled++;
            }
        }
        return handled;
    }

    private void deliver(NotificationQueries.Due n, Instant now) {
        String error;
        try {
            error = switch (n.kind()) {
                case "webhook" -> post(n.target(), n.event(), n.id(), n.payload());
                case "alert_webhook" -> alertWebhook(n);
                case "comment_webhook" -> commentWebhook(n);
                case "alert_email" -> alertEmail(n);
                case "email" -> composedEmail(n);
                default -> "unknown kind " + n.kind();
            };
        } catch (RuntimeException e) {
            error = e.toString();
        }
        if (error == null) {
            queries.sent(dsl, n.id(), null, now);
        } else if (error.startsWith("skip:")) {
            queries.sent(dsl, n.id(), error, now);
        } else if (n.attempts() >= MAX_ATTEMPTS || error.startsWith("permanent:")) {
            LOG.warn("notification {} ({} to {}) failed after {} attempts: {}", n.id(), n.kind(), n.target(), n.attempts(), error);
            queries.failed(dsl, n.id(), error);
        } else {
            queries.retry(dsl, n.id(), error, now.plus(backoff(n.attempts())));
        }
    }

    /** 5 s, 10 s, 20 s, ... up to an hour, half of it random. */
    static Duration backoff(int attempt) {
        long step = Math.min(3_600_000L, 5_000L << Math.min(20, Math.max(0, attempt - 1)));
        return Duration.ofMillis(step / 2 + ThreadLocalRandom.current().nextLong(step / 2 + 1));
    }

    /** Null when the receiver took it (2xx), else why not. */
    private String post(String url, String event, long deliveryId, String body) {
        String refused = outgoing.refusal(url, true);
        if (refused != null) {
            return "permanent: refused " + url + ": " + refused; // failed at once, never retried
        }
        HttpPost request = new HttpPost(URI.create(url));
        request.setHeader("Content-Type", "application/json");
        request.setHeader("User-Agent", "surveycast");
        request.setHeader("X-Surveycast-Event", event);
        request.setHeader("X-Surveycast-Delivery", Long.toString(deliveryId));
        if (secret != null) {
            request.setHeader("X-Surveycast-Signature", "sha256=" + sign(body));
        }
        request.setEntity(new ByteArrayEntity(body.getBytes(StandardCharsets.UTF_8), null));
        try {
            int status = http.execute(request, response -> {
                EntityUtils.consume(response.getEntity());
                return response.getCode();
            });
            return status / 100 == 2 ? null : "HTTP " + status;
        } catch (OutgoingUrls.RefusedAddress e) {
            return "permanent: refused " + url + ": " + e.getMessage(); // resolved elsewhere since the check
        } catch (java.io.IOException e) {
            return "cannot reach " + url + ": " + e;
        }
    }

    String sign(String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private SurveyInvitation current(NotificationQueries.Due n) {
        return n.responseId() == null ? null : responseQueries.byResponse(dsl, n.responseId()).orElse(null);
    }

    private String alertWebhook(NotificationQueries.Due n) {
        SurveyInvitation r = current(n);
        if (r == null || r.score() > 6) {
            return "skip: no longer a detractor";
        }
        if (r.comment() != null && queries.hasCommentPost(dsl, r.responseId())) {
            return "skip: posted with its comment (alerts.every-comment)"; // one post, in the detractor's colour
        }
        ObjectNode facts = notices.payload(r, "detractor", clock.instant());
        ObjectNode contact = (ObjectNode) facts.get("contact");
        String who = contact.path("name").asText("").isBlank() ? contact.path("external_id").asText()
                : contact.path("name").asText() + " (" + contact.path("external_id").asText() + ")";
        ObjectNode body = ResponseNotices.JSON.createObjectNode();
        body.put("text", "Detractor: " + who + " scored " + r.score() + "/10 in " + r.campaign().name()
                + (r.comment() == null ? "" : ": \u201c" + r.comment() + "\u201d") + " <" + notices.responseUrl(r) + "|Open the response>");
        ArrayNode attachments = body.putArray("attachments");
        ObjectNode attachment = attachments.addObject();
        attachment.put("color", "#d93025");
        attachment.put("title", "Score " + r.score() + " \u2013 " + r.campaign().name());
        attachment.put("title_link", notices.responseUrl(r));
        attachment.put("text", r.comment() == null ? "(no comment yet)" : r.comment());
        ArrayNode fields = attachment.putArray("fields");
        field(fields, "Contact", who);
        field(fields, "Email", contact.path("email").asText(""));
        field(fields, "Campaign", r.campaign().key());
        body.set("surveycast", facts); // the same facts as a response webhook, for receivers that are not Slack
        return post(n.target(), "detractor", n.id(), body.toString());
    }

    /** The colour of a score's category in a Slack attachment: the dashboard's red, amber and green. */
    static String colour(String category) {
        return switch (category) {
            case "promoter" -> "#1a7f37";
            case "passive" -> "#d4a72c";
            default -> "#d93025";
        };
    }

    /**
     * An answer with a comment ({@code alerts.every-comment}), as a Slack message: a fallback
     * {@code text}, and an attachment in the category's colour (the one way Slack still colours a
     * message) holding Block Kit blocks: the comment, then the score, contact and a link to the response.
     */
    private String commentWebhook(NotificationQueries.Due n) {
        SurveyInvitation r = current(n);
        if (r == null || r.comment() == null) {
            return "skip: no comment";
        }
        String category = Responses.category(r.score());
        ObjectNode facts = notices.payload(r, "comment", clock.instant());
        String who = r.contactName() == null || r.contactName().isBlank() ? r.externalId()
                : r.contactName() + " (" + r.externalId() + ")";
        String url = notices.responseUrl(r);
        ObjectNode body = ResponseNotices.JSON.createObjectNode();
        body.put("text", capitalised(category) + " " + r.score() + "/10 in " + r.campaign().name() + ": \u201c" + r.comment()
                + "\u201d <" + url + "|Open the response>");
        ObjectNode attachment = body.putArray("attachments").addObject();
        attachment.put("color", colour(category));
        attachment.put("fallback", capitalised(category) + " " + r.score() + "/10: " + r.comment());
        ArrayNode blocks = attachment.putArray("blocks");
        ObjectNode comment = blocks.addObject().put("type", "section");
        comment.putObject("text").put("type", "plain_text").put("text", r.comment());
        ObjectNode context = blocks.addObject().put("type", "context");
        context.putArray("elements").addObject().put("type", "mrkdwn").put("text", "*" + capitalised(category) + "* \u00b7 "
                + r.score() + "/10 \u00b7 " + slackEscaped(r.campaign().name()) + " \u00b7 " + slackEscaped(who)
                + " \u00b7 <" + url + "|Open the response>");
        body.set("surveycast", facts); // the same facts as a response webhook, for receivers that are not Slack
        return post(n.target(), "comment", n.id(), body.toString());
    }

    private static String capitalised(String category) {
        return Character.toUpperCase(category.charAt(0)) + category.substring(1);
    }

    /** Text put into Slack's mrkdwn: its three control characters escaped, so a name cannot make a link. */
    static String slackEscaped(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static void field(ArrayNode fields, String title, String value) {
        ObjectNode f = fields.addObject();
        f.put("title", title);
        f.put("value", value);
        f.put("short", true);
    }

    /** An email composed when it was queued: payload {@code {"subject", "text", "html"}}. */
    private String composedEmail(NotificationQueries.Due n) {
        com.fasterxml.jackson.databind.JsonNode mail;
        try {
            mail = ResponseNotices.JSON.readTree(n.payload());
        } catch (java.io.IOException e) {
            return "permanent: unreadable email payload";
        }
        String html = mail.path("html").isTextual() ? mail.get("html").asText() : null;
        SendResult result = email.send(new OutboundMessage(-n.id(), "email", n.target(), null, mail.path("subject").asText(),
                mail.path("text").asText(), html, Map.of("Auto-Submitted", "auto-generated"),
                "<notice" + n.id() + "@" + mailDomain + ">", clock.instant()));
        return switch (result) {
            case SendResult.Sent sent -> null;
            case SendResult.Retry retry -> retry.error();
            case SendResult.Failed failed -> "permanent: " + failed.error();
        };
    }

    private String alertEmail(NotificationQueries.Due n) {
        SurveyInvitation r = current(n);
        if (r == null || r.score() > 6) {
            return "skip: no longer a detractor";
        }
        Map<String, Object> model = new HashMap<>();
        model.put("score", r.score());
        model.put("comment", r.comment() == null ? "" : r.comment());
        model.put("contactName", r.contactName() == null ? "" : r.contactName());
        model.put("externalId", r.externalId());
        model.put("contactEmail", r.contactEmail() == null ? "" : r.contactEmail());
        model.put("campaign", r.campaign().name());
        model.put("responseUrl", notices.responseUrl(r));
        String text = templates.render("email", "detractor-alert", null, "txt", model);
        String html = templates.render("email", "detractor-alert", null, "html", model);
        String subject = "Detractor alert: " + (r.contactName() == null ? model.get("externalId") : r.contactName())
                + " scored " + r.score() + "/10";
        SendResult result = email.send(new OutboundMessage(-n.id(), "email", n.target(), null, subject, text, html,
                Map.of("Auto-Submitted", "auto-generated"), "<alert" + n.id() + "@" + mailDomain + ">", clock.instant()));
        return switch (result) {
            case SendResult.Sent sent -> null;
            case SendResult.Retry retry -> retry.error();
            case SendResult.Failed failed -> "permanent: " + failed.error();
        };
    }
}
