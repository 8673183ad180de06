package io.surveycast.user;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import io.surveycast.http.Pages;
import io.surveycast.http.Cookies;

/**
 * The session behind an admin page: the user, when their session is live and their role is enough;
 * otherwise the answer is written here (to the login page, or 403) and the page renders nothing.
 */
public final class SessionAuth {
    static final String COOKIE = "sc_session";
    private final Sessions sessions;

    public SessionAuth(Sessions sessions) {
        this.sessions = sessions;
    }

    public Optional<User> require(Exchange exchange, Role needed) {
        Message in = exchange.getMessage();
        Optional<User> user = Cookies.get(in, COOKIE).flatMap(sessions::user);
        if (user.isEmpty()) {
            String path = in.getHeader(Exchange.HTTP_PATH, String.class);
            String uri = in.getHeader(Exchange.HTTP_URI, String.class);
            String next = uri != null ? uri : path != null ? path : "/";
            Pages.redirect(exchange, "/login?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8));
            return Optional.empty();
        }
        if (!user.get().role().includes(needed)) {
            Pages.text(exchange, 403, "Forbidden: this page needs the " + needed.id() + " role.\n");
            return Optional.empty();
        }
        return user;
    }
}
