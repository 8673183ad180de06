package io.surveycast.followup;

import io.surveycast.channel.TemplateStore;
import io.surveycast.config.InvalidInputException;
import io.surveycast.http.FormSigner;
import io.surveycast.http.Pages;
import io.surveycast.user.Role;
import io.surveycast.user.SessionAuth;
import io.surveycast.user.SignedInPages;
import io.surveycast.user.User;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The dashboard's case queue ({@code /cases}, any signed-in user: overdue first, then by due time,
 * filtered by owner, status, campaign, category or "mine") and a case's page ({@code /cases/{id}}),
 * whose forms let ops take the case, add a note and close it with a reason
 * ({@code POST /cases/{id}/take|note|close}, signed, answered by a redirect back to the case).
 * Comments and notes are written by others: the templates escape everything.
 */
public final class CasePages {
    static final int SHOWN = 200;
    private static final String FORM = "case";
    private static final List<String> ACTIONS = List.of("take", "note", "close");
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);
    private final Cases cases;
    private final Supplier<List<String>> campaignKeys;
    private final SignedInPages pages;

    CasePages(Cases cases, Supplier<List<String>> campaignKeys, SessionAuth auth, TemplateStore templates, FormSigner signer,
              String company) {
        this.cases = cases;
        this.campaignKeys = campaignKeys;
        this.pages = new SignedInPages(auth, templates, signer, company);
    }

    /** {@code GET /cases?owner=&status=&campaign=&category=&mine=1}. */
    public void queue(Exchange exchange) {
        Optional<User> user = pages.user(exchange, Role.VIEWER);
        if (user.isEmpty()) {
            return;
        }
        Message in = exchange.getMessage();
        boolean mine = in.getHeader("mine") != null && !in.getHeader("mine", String.class).isBlank();
        String owner = mine ? user.get().name() : param(in, "owner");
        String status = param(in, "status");
        String campaign = param(in, "campaign");
        String category = param(in, "category");
        CaseFilter filter;
        try {
            filter = CaseFilter.of(status, owner, campaign, category, false, SHOWN, "");
        } catch (InvalidInputException e) {
            Pages.text(exchange, 400, "Bad request: " + String.join("; ", e.lines()) + "\n");
            return;
        }
        Instant now = cases.now();
        List<FollowUpCase> rows = cases.list(filter);
        Map<String, Object> model = pages.model(user.get());
        model.put("title", "Cases");
        model.put("mine", mine);
        model.put("owner", mine || owner == null ? "" : owner);
        model.put("status", status == null ? "" : status);
        model.put("campaign", campaign == null ? "" : campaign);
        model.put("category", category == null ? "" : category);
        List<String> keys = new ArrayList<>(campaignKeys.get());
        if (campaign != null && !keys.contains(campaign)) {
            keys.add(campaign);
        }
        model.put("campaigns", keys);
        model.put("more", rows.size() >= SHOWN);
        model.put("shown", SHOWN);
        model.put("cases", rows.stream().map(c -> {
            Map<String, Object> row = summary(c, now);
            row.put("comment", c.comment() == null ? "" : c.comment());
            return row;
        }).toList());
        pages.render(exchange, 200, "cases", model);
    }

    /** {@code GET /cases/{id}}. */
    public void show(Exchange exchange) {
        Optional<User> user = pages.user(exchange, Role.VIEWER);
        if (user.isEmpty()) {
            return;
        }
        Optional<FollowUpCase> found = id(exchange).flatMap(cases::find);
        if (found.isEmpty()) {
            Pages.text(exchange, 404, "Not found\n");
            return;
        }
        render(exchange, 200, user.get(), found.get(), null);
    }

    /** {@code POST /cases/{id}/take|note|close}, for ops. */
    public void act(Exchange exchange) {
        Message in = exchange.getMessage();
        String action = in.getHeader("action", String.class);
        String id = in.getHeader("id", String.class);
        Optional<SignedInPages.Post> post = pages.post(exchange, Role.OPS, FORM,
                ACTIONS.contains(action) ? action + ":" + id : null);
        if (post.isEmpty()) {
            return;
        }
        User user = post.get().user();
        Map<String, String> form = post.get().form();
        Optional<FollowUpCase> found = id(exchange).flatMap(cases::find);
        if (found.isEmpty()) {
            Pages.text(exchange, 404, "Not found\n");
            return;
        }
        FollowUpCase before = found.get();
        String actor = user.name();
        try {
            switch (action) {
                // taking a case is starting on it: an open case becomes in_progress
                case "take" -> cases.change(before.id(), actor, true, before.status().equals("open") ? "in_progress" : null,
                        null, actor);
                case "note" -> cases.note(before.id(), form.get("text"), actor);
                default -> cases.close(before.id(), form.get("reason"), actor);
            }
        } catch (InvalidInputException e) {
            render(exchange, 422, user, before, String.join("; ", e.lines()));
            return;
        } catch (Cases.Conflict e) {
            render(exchange, 409, user, before, e.getMessage());
            return;
        } catch (Cases.NoSuchCase e) {
            Pages.text(exchange, 404, "Not found\n");
            return;
        }
        Pages.redirect(exchange, "/cases/" + before.id());
    }

    private void render(Exchange exchange, int status, User user, FollowUpCase c, String error) {
        Map<String, Object> model = pages.model(user);
        model.putAll(summary(c, cases.now()));
        model.put("title", "Case #" + c.id());
        model.put("comment", c.comment() == null ? "" : c.comment());
        model.put("responseId", Long.toString(c.responseId()));
        model.put("opened", when(c.openedAt()));
        model.put("firstAction", when(c.firstActionAt()));
        model.put("closed", when(c.closedAt()));
        model.put("reason", c.closeReason() == null ? "" : c.closeReason());
        model.put("notes", c.notes().stream().map(n -> Map.of("author", n.author(), "at", when(n.at()), "text", n.text())).toList());
        model.put("canAct", user.role().includes(Role.OPS));
        model.put("mineAlready", user.name().equals(c.owner()));
        if (error != null) {
            model.put("error", error);
        }
        for (String action : ACTIONS) {
            model.put(action + "Csrf", pages.sign(FORM, action + ":" + c.id()));
        }
        pages.render(exchange, status, "case", model);
    }

    private static Map<String, Object> summary(FollowUpCase c, Instant now) {
        Map<String, Object> row = new HashMap<>();
        row.put("id", Long.toString(c.id()));
        row.put("score", c.score());
        row.put("category", c.category());
        row.put("externalId", c.externalId());
        row.put("contact", c.contactName() == null ? c.externalId() : c.contactName());
        row.put("campaign", c.campaign());
        row.put("campaignName", c.campaignName() == null ? c.campaign() : c.campaignName());
        row.put("owner", c.owner() == null ? "unassigned" : c.owner());
        row.put("caseStatus", c.status());
        row.put("due", when(c.dueAt()));
        row.put("overdue", c.overdueAt(now));
        return row;
    }

    private static Optional<Long> id(Exchange exchange) {
        String id = exchange.getMessage().getHeader("id", String.class);
        if (id == null || !id.matches("[0-9]{1,18}")) {
            return Optional.empty();
        }
        return Optional.of(Long.parseLong(id));
    }

    private static String param(Message in, String name) {
        String value = in.getHeader(name, String.class);
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static String when(Instant at) {
        return at == null ? "" : WHEN.format(at);
    }
}
