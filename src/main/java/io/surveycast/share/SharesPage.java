package io.surveycast.share;

import io.surveycast.channel.TemplateStore;
import io.surveycast.config.InvalidInputException;
import io.surveycast.http.FormSigner;
import io.surveycast.http.Pages;
import io.surveycast.user.Role;
import io.surveycast.user.SessionAuth;
import io.surveycast.user.SignedInPages;
import io.surveycast.user.User;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Exchange;

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
    private final SignedInPages pages;

    SharesPage(Shares shares, SessionAuth auth, TemplateStore templates, FormSigner signer, String company) {
        this.shares = shares;
        this.pages = new SignedInPages(auth, templates, signer, company);
    }

    public void list(Exchange exchange) {
        pages.user(exchange, Role.ADMIN).ifPresent(user -> render(exchange, 200, user, Map.of()));
    }

    /** {@code POST /shares}: a new link, valid for the chosen lifetime. */
    public void create(Exchange exchange) {
        Optional<SignedInPages.Post> post = pages.post(exchange, Role.ADMIN, "shares", "create");
        if (post.isEmpty()) {
            return;
        }
        User user = post.get().user();
        String expires = post.get().form().getOrDefault("expires", "");
        if (!LIFETIMES.contains(expires)) {
            render(exchange, 422, user, Map.of("error", "Choose how long the link works."));
            return;
        }
        Shares.Created created = shares.create(expires.isEmpty() ? null : Duration.parse(expires), user.name());
        render(exchange, 201, user, Map.of("url", created.url(), "notice", "Made link " + created.id()
                + (created.expiresAt() == null ? ", until revoked." : ", until " + MINUTE.format(created.expiresAt()) + ".")));
    }

    /** {@code POST /shares/{id}/revoke}. */
    public void revoke(Exchange exchange) {
        String id = exchange.getMessage().getHeader("id", String.class);
        Optional<SignedInPages.Post> post = pages.post(exchange, Role.ADMIN, "shares",
                id != null && id.matches("[0-9]{1,18}") ? "revoke:" + id : null);
        if (post.isEmpty()) {
            return;
        }
        User user = post.get().user();
        try {
            boolean changed = shares.revoke(Long.parseLong(id), user.name());
            render(exchange, 200, user, Map.of("notice", changed ? "Revoked link " + id + ": it answers 404 from now on."
                    : "Link " + id + " was already revoked."));
        } catch (InvalidInputException e) {
            Pages.text(exchange, 404, "Not found\n");
        }
    }

    private void render(Exchange exchange, int status, User user, Map<String, String> outcome) {
        Map<String, Object> model = pages.model(user);
        model.putAll(outcome);
        model.put("createCsrf", pages.sign("shares", "create"));
        model.put("shares", shares.list().stream().map(s -> Map.<String, Object>of(
                "id", s.id(), "url", s.url(), "createdBy", s.createdBy(), "created", MINUTE.format(s.createdAt()),
                "expires", s.expiresAt() == null ? "until revoked" : MINUTE.format(s.expiresAt()),
                "revokeCsrf", pages.sign("shares", "revoke:" + s.id()))).toList());
        pages.render(exchange, status, "shares", model);
    }
}
