package io.surveycast.devmode;

import static freemarker.template.utility.StringUtil.XHTMLEnc;

import io.surveycast.db.tables.records.DevCaptureRecord;
import io.surveycast.http.ApiProblem;
import io.surveycast.http.HttpResponses;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.jooq.DSLContext;

/**
 * {@code /dev/mail} and {@code /dev/sms}: what development mode captured, newest first; an email
 * opens as the recipient sees it (its HTML part, links working). Only in development mode (404
 * as soon as one channel has a real provider), and only to this machine (403 to others unless
 * allowed). {@code ?format=json} for scripts and tests.
 */
public final class DevEndpoints {
    private static final int LIMIT = 200;
    private final DSLContext dsl;
    private final boolean developmentMode;
    private final DevCaptureQueries queries = new DevCaptureQueries();

    private final SmsReplies replies;
    private final java.time.Clock clock;

    /** What answering an SMS does: the reply text we would send back, if any. */
    @FunctionalInterface
    public interface SmsReplies {
        java.util.Optional<String> receive(String messageSid, String from, String body, String optOutType);
    }

    private final boolean remoteAllowed;

    /**
     * The pages exist only in development mode, when neither channel has a real provider (a serve
     * with real SMTP but no Twilio account keeps its sandboxed SMS to itself: they hold real
     * numbers and survey links), and answer only clients on this machine unless
     * {@code remoteAllowed} ({@code SURVEYCAST_DEV_PAGES_REMOTE=true}).
     */
    public DevEndpoints(DSLContext dsl, boolean mailCaptured, boolean smsCaptured, SmsReplies replies, java.time.Clock clock,
                        boolean remoteAllowed) {
        this.dsl = dsl;
        this.developmentMode = mailCaptured && smsCaptured;
        this.replies = replies;
        this.clock = clock;
        this.remoteAllowed = remoteAllowed;
    }

    /**
     * POST /dev/sms/reply: answers a captured SMS as the customer would (the same conversation as
     * Twilio's webhook, without Twilio); the text and our answer are added to the captured SMS.
     */
    public void smsReply(Exchange exchange) {
        require(exchange, developmentMode && replies != null);
        String origin = exchange.getMessage().getHeader("Origin", String.class);
        String host = exchange.getMessage().getHeader("Host", String.class);
        if (origin != null && host != null && !origin.replaceFirst("^https?://", "").equals(host)) {
            html(exchange, 403, "<p>Forbidden: a reply posted from another site.</p>");
            return;
        }
        Map<String, String> form = io.surveycast.http.FormBody.of(exchange.getMessage());
        String from = form.getOrDefault("from", "").strip();
        String text = form.getOrDefault("body", "");
        if (!from.matches("\\+[1-9][0-9]{6,14}") || text.isBlank()) {
            html(exchange, 400, "<p>A reply needs the number it comes from (E.164, e.g. +12125550123) and a text.</p>");
            return;
        }
        java.time.Instant now = clock.instant();
        queries.insert(dsl, "sms", null, "from " + from, null, text, now);
        replies.receive("SMdev" + java.util.UUID.randomUUID().toString().replace("-", ""), from, text, null)
                .ifPresent(reply -> queries.insert(dsl, "sms", null, from, null, reply, now.plusMillis(1)));
        Message out = exchange.getMessage();
        out.removeHeaders("*");
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, 303);
        out.setHeader("Location", "/dev/sms");
        out.setBody("");
    }

    public void mailList(Exchange exchange) {
        require(exchange, developmentMode);
        List<DevCaptureRecord> mails = queries.latest(dsl, "email", LIMIT);
        if (wantsJson(exchange)) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (DevCaptureRecord r : mails) {
                Map<String, Object> row = row(r);
                row.put("subject", r.getSubject());
                row.put("raw", r.getBody());
                rows.add(row);
            }
            HttpResponses.json(exchange, 200, rows);
            return;
        }
        StringBuilder html = page("Captured email");
        html.append("<p>").append(mails.size()).append(" latest, newest first. Nothing here left the machine.</p>")
                .append("<table><tr><th>#</th><th>at</th><th>to</th><th>subject</th></tr>");
        for (DevCaptureRecord r : mails) {
            html.append("<tr><td>").append(r.getId()).append("</td><td>").append(r.getAt()).append("</td><td>")
                    .append(XHTMLEnc(r.getRecipient())).append("</td><td><a href=\"/dev/mail/").append(r.getId())
                    .append("\">").append(XHTMLEnc(String.valueOf(r.getSubject()))).append("</a></td></tr>");
        }
        html(exchange, 200, html.append("</table></body></html>").toString());
    }

    /** One email as its recipient sees it: the HTML part, with the headers that matter above it. */
    public void mailView(Exchange exchange) {
        require(exchange, developmentMode);
        DevCaptureRecord r = queries.find(dsl, "email", id(exchange))
                .orElseThrow(() -> new ApiProblem(404, "Not Found", "no captured email with that number"));
        if ("raw".equals(exchange.getMessage().getHeader("format", String.class))) {
            exchange.getMessage().removeHeaders("*");
            exchange.getMessage().setBody(r.getBody());
            exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "message/rfc822");
            return;
        }
        try {
            MimeMessage mime = new MimeMessage(Session.getInstance(new Properties()),
                    new ByteArrayInputStream(r.getBody().getBytes(StandardCharsets.UTF_8)));
            StringBuilder html = page(String.valueOf(mime.getSubject()));
            html.append("<p><a href=\"/dev/mail\">all mail</a> · <a href=\"/dev/mail/").append(r.getId())
                    .append("?format=raw\">source</a></p><dl>");
            for (String name : List.of("From", "To", "Date", "Subject", "Message-ID", "List-Unsubscribe")) {
                String value = mime.getHeader(name, ", ");
                if (value != null) {
                    html.append("<dt>").append(name).append("</dt><dd>")
                            .append(XHTMLEnc(jakarta.mail.internet.MimeUtility.decodeText(value))).append("</dd>");
                }
            }
            html.append("</dl><iframe title=\"message\" sandbox=\"allow-popups allow-top-navigation-by-user-activation\" srcdoc=\"")
                    .append(XHTMLEnc(part(mime, "text/html"))).append("\"></iframe>")
                    .append("<h2>Text part</h2><pre>").append(XHTMLEnc(part(mime, "text/plain"))).append("</pre>");
            html(exchange, 200, html.append("</body></html>").toString());
        } catch (MessagingException | IOException e) {
            throw new IllegalStateException("captured email " + r.getId() + " is unreadable: " + e.getMessage(), e);
        }
    }

    public void smsList(Exchange exchange) {
        require(exchange, developmentMode);
        List<DevCaptureRecord> messages = queries.latest(dsl, "sms", LIMIT);
        if (wantsJson(exchange)) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (DevCaptureRecord r : messages) {
                Map<String, Object> row = row(r);
                row.put("body", r.getBody());
                rows.add(row);
            }
            HttpResponses.json(exchange, 200, rows);
            return;
        }
        StringBuilder html = page("Captured SMS");
        if (replies != null) {
            String latest = messages.stream().map(DevCaptureRecord::getRecipient).filter(r -> r.startsWith("+")).findFirst()
                    .orElse("");
            html.append("<form method=\"post\" action=\"/dev/sms/reply\"><fieldset><legend>Reply as the customer</legend>")
                    .append("<label>From <input name=\"from\" value=\"").append(XHTMLEnc(latest)).append("\" required></label> ")
                    .append("<label>Text <input name=\"body\" placeholder=\"9 - great support\" required></label> ")
                    .append("<button type=\"submit\">Send</button></fieldset></form>");
        }
        html.append("<p>").append(messages.size()).append(" latest, newest first. Nothing here left the machine.</p>")
                .append("<table><tr><th>#</th><th>at</th><th>to</th><th>text</th></tr>");
        for (DevCaptureRecord r : messages) {
            html.append("<tr><td>").append(r.getId()).append("</td><td>").append(r.getAt()).append("</td><td>")
                    .append(XHTMLEnc(r.getRecipient())).append("</td><td>").append(linkify(r.getBody()))
                    .append("</td></tr>");
        }
        html(exchange, 200, html.append("</table></body></html>").toString());
    }

    private static String part(MimeMessage mime, String type) throws MessagingException, IOException {
        Object content = mime.getContent();
        if (content instanceof Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart part = multipart.getBodyPart(i);
                if (part.isMimeType(type)) {
                    return part.getContent().toString();
                }
            }
            return "";
        }
        return mime.isMimeType(type) ? content.toString() : "";
    }

    private static String linkify(String text) {
        return XHTMLEnc(text).replaceAll("(https?://[^\\s<]+)", "<a href=\"$1\">$1</a>");
    }

    private static Map<String, Object> row(DevCaptureRecord r) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", r.getId());
        row.put("message_id", r.getMessageId());
        row.put("to", r.getRecipient());
        row.put("at", r.getAt().toInstant().toString());
        return row;
    }

    private static long id(Exchange exchange) {
        try {
            return Long.parseLong(exchange.getMessage().getHeader("id", String.class));
        } catch (NumberFormatException e) {
            throw new ApiProblem(404, "Not Found", "no captured email with that number");
        }
    }

    private void require(Exchange exchange, boolean captured) {
        if (!captured) {
            throw new ApiProblem(404, "Not Found", "development pages exist only in development mode "
                    + "(no SMTP host and no Twilio account configured) and in demo");
        }
        if (!remoteAllowed && !fromThisMachine(exchange.getMessage())) {
            throw new ApiProblem(403, "Forbidden", "development pages answer only on this machine (a loopback address); "
                    + "SURVEYCAST_DEV_PAGES_REMOTE=true lets others in");
        }
    }

    /** A loopback client, not relayed by a proxy (which would make every visitor look local). */
    private static boolean fromThisMachine(Message in) {
        if (in.getHeader("X-Forwarded-For") != null || in.getHeader("Forwarded") != null
                || in.getHeader("X-Real-IP") != null) {
            return false;
        }
        String address = io.surveycast.http.TokenBackoff.clientAddress(in);
        if (address == null || !address.matches("[0-9a-fA-F:.%]+")) {
            return false; // an IP literal only: never a name lookup
        }
        try {
            return java.net.InetAddress.getByName(address).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    private static boolean wantsJson(Exchange exchange) {
        return "json".equals(exchange.getMessage().getHeader("format", String.class));
    }

    private static StringBuilder page(String title) {
        return new StringBuilder("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>")
                .append(XHTMLEnc(title)).append(" · surveycast</title><style>"
                        + "body{font-family:system-ui,sans-serif;margin:1rem;color:#1f2933}"
                        + "table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #e4e7eb;padding:.4rem;text-align:left;vertical-align:top}"
                        + "iframe{width:100%;max-width:640px;height:640px;border:1px solid #cbd2d9}dt{font-weight:bold}"
                        + "</style></head><body><h1>").append(XHTMLEnc(title)).append("</h1>");
    }

    private static void html(Exchange exchange, int status, String html) {
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setBody(html);
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "text/html; charset=utf-8");
        exchange.getMessage().setHeader("Cache-Control", "no-store");
    }
}
