package io.surveycast.consent;

import io.surveycast.http.FormSigner;

import io.surveycast.channel.TemplateStore;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * {@code /u/{token}}: GET shows what the link would do and changes nothing (mail scanners follow
 * links); a POST of {@code List-Unsubscribe=One-Click} (RFC 8058, sent by mail providers) unsubscribes
 * at once and answers a short text; the page's own forms ({@code action=unsubscribe|resubscribe}
 * with a signed {@code csrf} field, see {@link FormSigner}) unsubscribe or undo and show the result.
 * An unknown token is a plain 404.
 */
public final class UnsubscribeEndpoint {
    private static final String PAGE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
            + "frame-ancestors 'none'; base-uri 'none'";
    private final EmailUnsubscribe unsubscribes;
    private final TemplateStore templates;
    private final String company;
    private final FormSigner signer;

    public UnsubscribeEndpoint(EmailUnsubscribe unsubscribes, TemplateStore templates, String company) {
        this.unsubscribes = unsubscribes;
        this.templates = templates;
        this.company = company;
        this.signer = new FormSigner(unsubscribes::formSecret);
    }

    public void page(Exchange exchange) {
        String token = token(exchange);
        Optional<Subscriber> subscriber = unsubscribes.find(token);
        if (subscriber.isEmpty()) {
            text(exchange, 404, "Not found");
            return;
        }
        Subscriber s = subscriber.get();
        render(exchange, 200, s, token, s.suppression() == null ? "confirm" : s.unsubscribed() ? "unsubscribed" : "blocked");
    }

    public void post(Exchange exchange) {
        String token = token(exchange);
        Map<String, String> form = form(exchange);
        if ("One-Click".equals(form.get("List-Unsubscribe")) && !form.containsKey("action")) {
            boolean known = unsubscribes.unsubscribe(token, "one-click").isPresent();
            text(exchange, known ? 200 : 404, known ? "Unsubscribed." : "Not found");
            return;
        }
        if (unsubscribes.find(token).isEmpty()) {
            text(exchange, 404, "Not found");
            return;
        }
        String action = form.get("action");
        if (!("unsubscribe".equals(action) || "resubscribe".equals(action))
                || !signer.verify(action, token, form.get("csrf"))) {
            text(exchange, 403, "Forbidden: this form could not be verified. Open the link in the email again.");
            return;
        }
        Subscriber s = (action.equals("unsubscribe") ? unsubscribes.unsubscribe(token, "page") : unsubscribes.resubscribe(token))
                .orElseThrow();
        String state = s.unsubscribed() ? "unsubscribed"
                : s.suppression() != null ? "blocked"
                : "resubscribed";
        render(exchange, 200, s, token, state);
    }

    private void render(Exchange exchange, int status, Subscriber s, String token, String state) {
        Map<String, Object> model = new HashMap<>();
        model.put("company", company);
        model.put("state", state);
        model.put("email", masked(s.email()));
        model.put("unsubscribeCsrf", signer.sign("unsubscribe", token));
        model.put("resubscribeCsrf", signer.sign("resubscribe", token));
        String html = templates.render("web", "unsubscribe", s.locale(), "html", model);
        Message message = reset(exchange, status, "text/html; charset=utf-8");
        message.setHeader("Content-Security-Policy", PAGE_POLICY);
        message.setBody(html);
    }

    /** {@code a•••@example.com}: enough for the owner to recognise, little for whoever the link was forwarded to. */
    static String masked(String email) {
        if (email == null || email.indexOf('@') < 1) {
            return "";
        }
        return email.charAt(0) + "•••" + email.substring(email.indexOf('@'));
    }

    /**
     * The form fields of the body: platform-http (Vert.x) hands a url-encoded form over as a map;
     * a body left as text is decoded here. Never from headers or the query string.
     */
    static Map<String, String> form(Exchange exchange) {
        Map<String, String> fields = new HashMap<>();
        Object raw = exchange.getMessage().getBody();
        if (raw instanceof Map<?, ?> map) {
            map.forEach((name, value) -> fields.put(String.valueOf(name), first(value)));
            return fields;
        }
        String body = exchange.getMessage().getBody(String.class);
        if (body != null && !body.isBlank()) {
            for (String pair : body.strip().split("&")) {
                int eq = pair.indexOf('=');
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                fields.putIfAbsent(name, value);
            }
        }
        return fields;
    }

    /** A field given twice counts with its first value. */
    private static String first(Object value) {
        if (value instanceof java.util.List<?> list) {
            return list.isEmpty() ? "" : String.valueOf(list.get(0));
        }
        return value == null ? "" : String.valueOf(value);
    }

    private static String token(Exchange exchange) {
        String token = exchange.getMessage().getHeader("token", String.class);
        return token == null ? "" : token;
    }

    private static void text(Exchange exchange, int status, String text) {
        reset(exchange, status, "text/plain; charset=utf-8").setBody(text + "\n");
    }

    private static Message reset(Exchange exchange, int status, String contentType) {
        Message message = exchange.getMessage();
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        message.setHeader(Exchange.CONTENT_TYPE, contentType);
        message.setHeader("Cache-Control", "no-store");
        message.setHeader("Referrer-Policy", "no-referrer"); // the token is in the URL
        message.setHeader("X-Robots-Tag", "noindex");
        return message;
    }
}
