package io.surveycast.user;

import io.surveycast.channel.TemplateStore;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import io.surveycast.http.Pages;
import io.surveycast.http.TokenBackoff;
import io.surveycast.http.FormBody;
import io.surveycast.http.Cookies;
import io.surveycast.http.PageAccess;

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

    private final TokenBackoff backoff;

    public LoginPage(Sessions sessions, TemplateStore templates, String company, String publicUrl, TokenBackoff backoff) {
        this.sessions = sessions;
        this.backoff = backoff;
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
        if (!sameOrigin(in)) {
            Pages.text(exchange, 403, "Forbidden: a sign-in from another site.\n");
            return;
        }
        String address = TokenBackoff.clientAddress(in);
        var blocked = backoff.blockedFor(address);
        if (blocked.isPresent()) {
            Pages.text(exchange, 429, "Too many wrong tokens from your address: try again in " + blocked.getAsLong() + " s.\n");
            exchange.getMessage().setHeader("Retry-After", Long.toString(blocked.getAsLong()));
            return;
        }
        var opened = sessions.open(form.get("token"));
        if (opened.isEmpty()) {
            backoff.failed(address, "/login");
            render(exchange, 401, next, true);
            return;
        }
        Pages.redirect(exchange, next);
        exchange.getMessage().setHeader("Set-Cookie", PageAccess.SESSION_COOKIE + "=" + opened.get().sessionId()
                + "; Path=/; HttpOnly; SameSite=Lax; Max-Age=" + Sessions.LIFETIME.toSeconds() + (secure ? "; Secure" : ""));
    }

    public void logout(Exchange exchange) {
        Message in = exchange.getMessage();
        if (!sameOrigin(in)) {
            Pages.text(exchange, 403, "Forbidden: a sign-out from another site.\n");
            return;
        }
        Cookies.get(in, PageAccess.SESSION_COOKIE).ifPresent(sessions::close);
        Pages.redirect(exchange, "/login");
        exchange.getMessage().setHeader("Set-Cookie", PageAccess.SESSION_COOKIE + "=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"
                + (secure ? "; Secure" : ""));
    }

    /**
     * A browser sends Origin on every POST; none (an old client, curl) is let through. A given one
     * must be this site: the public URL, or the very host and port the request was sent to (its
     * Host header), so signing in at localhost, 127.0.0.1 or the machine's name all work while a
     * page of another site is refused.
     */
    static boolean sameOrigin(String origin, String host, String publicUrl) {
        if (origin == null || origin.isBlank()) {
            return true;
        }
        try {
            URI theirs = URI.create(origin.strip());
            if (theirs.getScheme() == null || theirs.getHost() == null) {
                return false;
            }
            URI ours = URI.create(publicUrl);
            if (ours.getScheme().equalsIgnoreCase(theirs.getScheme()) && ours.getHost().equalsIgnoreCase(theirs.getHost())
                    && port(ours) == port(theirs)) {
                return true;
            }
            if (host == null || host.isBlank()) {
                return false;
            }
            URI requested = URI.create(theirs.getScheme() + "://" + host.strip());
            return theirs.getHost().equalsIgnoreCase(requested.getHost()) && port(theirs) == port(requested);
        } catch (IllegalArgumentException | NullPointerException e) {
            return false;
        }
    }

    private boolean sameOrigin(Message in) {
        return sameOrigin(in.getHeader("Origin", String.class), in.getHeader("Host", String.class), publicUrl);
    }

    private static int port(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    /**
     * Only a path of this site: "/x", never "//host", "/\\host" or "https://host", and nothing with
     * a control character or a space in it (a browser drops a tab, so "/\t/host" would become "//host").
     */
    static String next(String next) {
        if (next == null || next.length() > 2000 || !next.startsWith("/") || next.startsWith("//") || next.contains("\\")) {
            return "/";
        }
        for (int i = 0; i < next.length(); i++) {
            char c = next.charAt(i);
            if (Character.isISOControl(c) || Character.isWhitespace(c) || Character.isSpaceChar(c)
                    || Character.getType(c) == Character.FORMAT || Character.isSurrogate(c)) {
                return "/";
            }
        }
        try {
            URI uri = new URI(next);
            return uri.getScheme() == null && uri.getRawAuthority() == null ? next : "/";
        } catch (java.net.URISyntaxException e) {
            return "/";
        }
    }

    private void render(Exchange exchange, int status, String next, boolean error) {
        Map<String, Object> model = new HashMap<>();
        model.put("company", company);
        model.put("next", next);
        model.put("error", error);
        Pages.html(exchange, status, templates.render("web", "login", null, "html", model));
    }
}
