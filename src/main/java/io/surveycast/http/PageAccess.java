package io.surveycast.http;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The Camel side of a page's session check: reads the session cookie, asks the {@link SessionGuard},
 * and when it refuses writes the answer here (to the login page, or 403) so that the page renders nothing.
 */
public final class PageAccess {
    /** The cookie holding the dashboard session's id. */
    public static final String SESSION_COOKIE = "sc_session";

    private PageAccess() {
    }

    public static <U> Optional<U> require(Exchange exchange, SessionGuard<U> guard, String role) {
        Message in = exchange.getMessage();
        try {
            return Optional.of(guard.require(Cookies.get(in, SESSION_COOKIE).orElse(null), role));
        } catch (ApiProblem refused) {
            if (refused.status() == 403) {
                Pages.text(exchange, 403, "Forbidden: this page needs the " + role + " role.\n");
                return Optional.empty();
            }
            String path = in.getHeader(Exchange.HTTP_PATH, String.class);
            String uri = in.getHeader(Exchange.HTTP_URI, String.class);
            String next = uri != null ? uri : path != null ? path : "/";
            Pages.redirect(exchange, "/login?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8));
            return Optional.empty();
        }
    }
}
