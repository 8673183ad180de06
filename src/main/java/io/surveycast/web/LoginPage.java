package io.surveycast.web;

import io.surveycast.channel.TemplateStore;
import io.surveycast.user.Sessions;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * {@code /login}: an admin, ops or viewer signs in with their API token and gets a session cookie
 * (HttpOnly, SameSite=Lax, Secure when the public URL is https); {@code /logout} ends it. A post
 * from another origin is refused (login CSRF), and {@code next} only ever leads within this site.
 */
public final class LoginPage {
    private final Sessions sessions;
    private final TemplateStore templates;
    private final String company;
    private final String publicUrl;
    private final boolean secure;

    public LoginPage(Sessions sessions, TemplateStore templates, String company, String publicUrl) {
        this.sessions = sessions;
        this.templates = templates;
        this.company = company;
        this.publicUrl = publicUrl.replaceAll("/+$", "");
        this.secure = publicUrl.startsWith("https:");
    }

    public void form(Exchange exchange) {
        render(exchange, 200, next(exchange.getMessage().getHeader("next", String.class)), false);
    }

    public void login(Exchange exchange) {
        Message in = exchange.getMessage();
        Map<String, String> form = FormBody.of(in);
        String next = next(form.get("next"));
        if (!sameOrigin(in.getHeader("Origin", String.class))) {
            Pages.text(exchange, 403, "Forbidden: a sign-in from another site.\n");
            return;
        }
        var opened = sessions.open(form.get("token"));
        if (opened.isEmpty()) {
            render(exchange, 401, next, true);
            return;
        }
        Pages.redirect(exchange, next);
        exchange.getMessage().setHeader("Set-Cookie", SessionAuth.COOKIE + "=" + opened.get().sessionId()
                + "; Path=/; HttpOnly; SameSite=Lax; Max-Age=" + Sessions.LIFETIME.toSeconds() + (secure ? "; Secure" : ""));
    }

    public void logout(Exchange exchange) {
        Message in = exchange.getMessage();
        if (!sameOrigin(in.getHeader("Origin", String.class))) {
            Pages.text(exchange, 403, "Forbidden: a sign-out from another site.\n");
            return;
        }
        Cookies.get(in, SessionAuth.COOKIE).ifPresent(sessions::close);
        Pages.redirect(exchange, "/login");
        exchange.getMessage().setHeader("Set-Cookie", SessionAuth.COOKIE + "=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"
                + (secure ? "; Secure" : ""));
    }

    /** A browser sends Origin on every POST; none (an old client, curl) is let through, a foreign one is not. */
    private boolean sameOrigin(String origin) {
        if (origin == null || origin.isBlank()) {
            return true;
        }
        try {
            URI ours = URI.create(publicUrl);
            URI theirs = URI.create(origin.strip());
            return ours.getScheme().equalsIgnoreCase(theirs.getScheme()) && ours.getHost().equalsIgnoreCase(theirs.getHost())
                    && port(ours) == port(theirs);
        } catch (IllegalArgumentException | NullPointerException e) {
            return false;
        }
    }

    private static int port(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    /** Only a path of this site: "/x", never "//host" or "https://host". */
    static String next(String next) {
        if (next == null || !next.startsWith("/") || next.startsWith("//") || next.contains("\\") || next.length() > 2000) {
            return "/";
        }
        return next;
    }

    private void render(Exchange exchange, int status, String next, boolean error) {
        Map<String, Object> model = new HashMap<>();
        model.put("company", company);
        model.put("next", next);
        model.put("error", error);
        Pages.html(exchange, status, templates.render("web", "login", null, "html", model));
    }
}
