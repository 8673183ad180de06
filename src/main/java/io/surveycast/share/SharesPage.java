package io.surveycast.share;

import io.surveycast.channel.TemplateStore;
import io.surveycast.config.InvalidInputException;
import io.surveycast.http.PageAccess;
import io.surveycast.http.FormBody;
import io.surveycast.http.FormSigner;
import io.surveycast.http.Pages;
import io.surveycast.user.Role;
import io.surveycast.user.SessionAuth;
import io.surveycast.user.User;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * {@code /shares}, for admins: the wall-display links that work now, a form to make one (its URL
 * shown once, in the answer to the form) and one to revoke each. Forms carry a signed field
 * besides the session.
 */
public final class SharesPage {
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);
    /** The lifetimes the form offers; empty: until revoked. */
    static final List<String> LIFETIMES = List.of("P1D", "P7D", "P30D", "P90D", "");
    private final Shares shares;
    private final SessionAuth auth;
    private final TemplateStore templates;
    private final FormSigner signer;
    private final String company;

    SharesPage(Shares shares, SessionAuth auth, TemplateStore templates, FormSigner signer, String company) {
        this.shares = shares;
        this.auth = auth;
        this.templates = templates;
        this.signer = signer;
        this.company = company;
    }

    public void list(Exchange exchange) {
        PageAccess.require(exchange, auth, Role.ADMIN.id()).ifPresent(user -> render(exchange, 200, user, Map.of()));
    }

    /** {@code POST /shares}: a new link, valid for the chosen lifetime. */
    public void create(Exchange exchange) {
        Optional<User> user = PageAccess.require(exchange, auth, Role.ADMIN.id());
        if (user.isEmpty()) {
            return;
        }
        Map<String, String> form = FormBody.of(exchange.getMessage());
        if (!signer.verify("shares", "create", form.get("csrf"))) {
            Pages.text(exchange, 403, "Forbidden: this form did not come from this site.\n");
            return;
        }
        String expires = form.getOrDefault("expires", "");
        if (!LIFETIMES.contains(expires)) {
            render(exchange, 422, user.get(), Map.of("error", "Choose how long the link works."));
            return;
        }
        Shares.Created created = shares.create(expires.isEmpty() ? null : Duration.parse(expires), user.get().name());
        render(exchange, 201, user.get(), Map.of("url", created.url(), "notice", "Made link " + created.id()
                + (created.expiresAt() == null ? ", until revoked." : ", until " + MINUTE.format(created.expiresAt()) + ".")));
    }

    /** {@code POST /shares/{id}/revoke}. */
    public void revoke(Exchange exchange) {
        Optional<User> user = PageAccess.require(exchange, auth, Role.ADMIN.id());
        if (user.isEmpty()) {
            return;
        }
        Message in = exchange.getMessage();
        String id = in.getHeader("id", String.class);
        Map<String, String> form = FormBody.of(in);
        if (id == null || !id.matches("[0-9]{1,18}") || !signer.verify("shares", "revoke:" + id, form.get("csrf"))) {
            Pages.text(exchange, 403, "Forbidden: this form did not come from this site.\n");
            return;
        }
        try {
            boolean changed = shares.revoke(Long.parseLong(id), user.get().name());
            render(exchange, 200, user.get(), Map.of("notice", changed ? "Revoked link " + id + ": it answers 404 from now on."
                    : "Link " + id + " was already revoked."));
        } catch (InvalidInputException e) {
            Pages.text(exchange, 404, "Not found\n");
        }
    }

    private void render(Exchange exchange, int status, User user, Map<String, String> outcome) {
        Map<String, Object> model = new HashMap<>(outcome);
        model.put("company", company);
        model.put("user", user.name());
        model.put("role", user.role().id());
        model.put("createCsrf", signer.sign("shares", "create"));
        model.put("shares", shares.list().stream().map(s -> Map.<String, Object>of(
                "id", s.id(), "url", s.url(), "createdBy", s.createdBy(), "created", MINUTE.format(s.createdAt()),
                "expires", s.expiresAt() == null ? "until revoked" : MINUTE.format(s.expiresAt()),
                "revokeCsrf", signer.sign("shares", "revoke:" + s.id()))).toList());
        Pages.html(exchange, status, templates.render("web", "shares", null, "html", model));
    }
}
