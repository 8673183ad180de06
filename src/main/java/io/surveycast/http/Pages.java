package io.surveycast.http;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

/** Writing HTML pages, plain texts and redirects onto a Camel HTTP exchange, with the headers every page has. */
public final class Pages {
    private Pages() {
    }

    public static void html(Exchange exchange, int status, String html) {
        Message out = reset(exchange, status);
        out.setHeader(Exchange.CONTENT_TYPE, "text/html; charset=utf-8");
        out.setHeader("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                + "img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
        out.setBody(html);
    }

    public static void text(Exchange exchange, int status, String text) {
        Message out = reset(exchange, status);
        out.setHeader(Exchange.CONTENT_TYPE, "text/plain; charset=utf-8");
        out.setBody(text);
    }

    /**
     * A CSV download: {@code text/csv} saved as {@code filename} (letters, digits, dots, dashes and
     * underscores only, so the header needs no quoting rules).
     */
    public static void csv(Exchange exchange, String filename, String csv) {
        Message out = reset(exchange, 200);
        out.setHeader(Exchange.CONTENT_TYPE, "text/csv; charset=utf-8");
        out.setHeader("Content-Disposition", "attachment; filename=\"" + filename.replaceAll("[^A-Za-z0-9._-]", "_") + "\"");
        out.setBody(csv);
    }

    public static void redirect(Exchange exchange, String location) {
        Message out = reset(exchange, 303);
        out.setHeader("Location", location);
        out.setBody("");
    }

    private static Message reset(Exchange exchange, int status) {
        Message out = exchange.getMessage();
        out.removeHeaders("*");
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        out.setHeader("Cache-Control", "no-store");
        out.setHeader("X-Content-Type-Options", "nosniff");
        // same-origin, not no-referrer: with no-referrer browsers send "Origin: null" on form posts,
        // and the sign-in checks the Origin
        out.setHeader("Referrer-Policy", "same-origin");
        return out;
    }
}
