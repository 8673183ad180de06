package io.surveycast.user;

import io.surveycast.channel.TemplateStore;
import io.surveycast.config.InvalidInputException;
import io.surveycast.http.FormSigner;
import io.surveycast.http.Pages;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * {@code /users}, for admins: every user with their role and state, and forms to add a user,
 * disable or enable one, and rotate a token. A new token is shown once, in the answer to the
 * form (never in a URL); every form carries a signed field besides the session.
 */
public final class UsersPage {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
    private static final List<String> ACTIONS = List.of("disable", "enable", "rotate");
    private final Users users;
    private final SignedInPages pages;

    UsersPage(Users users, SessionAuth auth, TemplateStore templates, FormSigner signer, String company) {
        this.users = users;
        this.pages = new SignedInPages(auth, templates, signer, company);
    }

    public void list(Exchange exchange) {
        pages.user(exchange, Role.ADMIN).ifPresent(user -> render(exchange, 200, user, Map.of()));
    }

    /** {@code POST /users}: name and role; the answer shows the new token once. */
    public void add(Exchange exchange) {
        Optional<SignedInPages.Post> post = pages.post(exchange, Role.ADMIN, "users", "add");
        if (post.isEmpty()) {
            return;
        }
        User user = post.get().user();
        Map<String, String> form = post.get().form();
        String name = form.getOrDefault("name", "").strip();
        String role = form.getOrDefault("role", "");
        if (!List.of("admin", "ops", "viewer").contains(role)) {
            render(exchange, 422, user, Map.of("error", "Choose a role: admin, ops or viewer."));
            return;
        }
        try {
            Users.Created created = users.add(name, Role.of(role), user.name());
            render(exchange, 201, user, Map.of("token", created.token(), "tokenFor", created.user().name(),
                    "notice", "Added " + created.user().name() + " (" + role + ")."));
        } catch (InvalidInputException e) {
            render(exchange, 422, user, Map.of("error", e.getMessage().replaceFirst("^NAME: ", "")));
        }
    }

    /** {@code POST /users/{name}/disable|enable|rotate}. */
    public void act(Exchange exchange) {
        Message in = exchange.getMessage();
        String name = in.getHeader("name", String.class);
        String action = in.getHeader("action", String.class);
        Optional<SignedInPages.Post> post = pages.post(exchange, Role.ADMIN, "users",
                ACTIONS.contains(action) ? action + ":" + name : null);
        if (post.isEmpty()) {
            return;
        }
        User user = post.get().user();
        String actor = user.name();
        try {
            switch (action) {
                case "disable" -> render(exchange, 200, user, Map.of("notice", users.disable(name, actor)
                        ? "Disabled " + name + ": their token and sessions stopped working." : name + " was already disabled."));
                case "enable" -> render(exchange, 200, user, Map.of("notice", users.enable(name, actor)
                        ? "Enabled " + name + " again." : name + " was not disabled."));
                default -> {
                    Users.Created rotated = users.rotate(name, actor);
                    render(exchange, 200, user, Map.of("token", rotated.token(), "tokenFor", name,
                            "notice", "New token for " + name + "; the old one stopped working."));
                }
            }
        } catch (Users.NoSuchUser e) {
            Pages.text(exchange, 404, "Not found\n");
        } catch (Users.LastAdmin e) {
            render(exchange, 409, user, Map.of("error", e.getMessage().replaceFirst("^NAME: ", "")));
        }
    }

    private void render(Exchange exchange, int status, User user, Map<String, String> outcome) {
        Map<String, Object> model = pages.model(user);
        model.putAll(outcome);
        model.put("addCsrf", pages.sign("users", "add"));
        model.put("users", users.list().stream().map(u -> {
            Map<String, Object> row = new HashMap<>();
            row.put("name", u.name());
            row.put("role", u.role().id());
            row.put("disabled", u.disabled());
            row.put("created", DAY.format(u.createdAt()));
            row.put("self", u.name().equals(user.name()));
            for (String action : ACTIONS) {
                row.put(action + "Csrf", pages.sign("users", action + ":" + u.name()));
            }
            return row;
        }).toList());
        pages.render(exchange, status, "users", model);
    }
}
