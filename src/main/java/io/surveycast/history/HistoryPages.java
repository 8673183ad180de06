package io.surveycast.history;

import io.surveycast.config.InvalidInputException;
import io.surveycast.dashboard.DashboardFilter;
import io.surveycast.dashboard.FilterPages;
import io.surveycast.dashboard.SegmentChoices;

import io.surveycast.channel.TemplateStore;
import io.surveycast.http.Pages;
import io.surveycast.user.Role;
import io.surveycast.user.SessionAuth;
import io.surveycast.user.SignedInPages;
import io.surveycast.user.User;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Exchange;

/**
 * {@code /contacts/{external_id}} (a contact's history, newest first) and {@code /accounts/{id}}
 * (an account's NPS, contacts, open cases and quarters), for any signed-in user. Everything shown
 * is escaped by the templates: comments and texts are written by anyone who got a survey.
 */
public final class HistoryPages {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);
    private final ContactHistory histories;
    private final Accounts accounts;
    private final SignedInPages pages;
    private final SegmentChoices choices;

    HistoryPages(ContactHistory histories, Accounts accounts, SegmentChoices choices, SessionAuth auth,
                 TemplateStore templates, String company) {
        this.histories = histories;
        this.accounts = accounts;
        this.pages = new SignedInPages(auth, templates, null, company);
        this.choices = choices;
    }

    public void contact(Exchange exchange) {
        Optional<User> user = pages.user(exchange, Role.VIEWER);
        if (user.isEmpty()) {
            return;
        }
        Optional<ContactHistory.History> found = histories.of(exchange.getMessage().getHeader("external_id", String.class));
        if (found.isEmpty()) {
            Pages.text(exchange, 404, "Not found\n");
            return;
        }
        ContactHistory.History h = found.get();
        ContactHistory.Contact c = h.contact();
        Map<String, Object> model = model(user.get(), c.name() == null ? c.externalId() : c.name());
        model.put("externalId", c.externalId());
        model.put("name", c.name() == null ? "" : c.name());
        model.put("email", c.email() == null ? "" : c.email());
        model.put("phone", c.phone() == null ? "" : c.phone());
        model.put("account", h.account() == null ? "" : h.account());
        Map<String, String> attributes = new java.util.TreeMap<>();
        c.attributes().forEach((k, v) -> attributes.put(k, v == null ? "" : v.toString()));
        model.put("attributes", attributes);
        model.put("trend", h.responses().stream().map(r -> Map.<String, Object>of("score", r.score(),
                "category", r.category(), "at", day(r.receivedAt()))).toList());
        model.put("responses", reversed(h.responses().stream().map(r -> {
            Map<String, Object> row = new HashMap<>();
            row.put("id", r.id());
            row.put("score", r.score());
            row.put("category", r.category());
            row.put("comment", r.comment() == null ? "" : r.comment());
            row.put("campaign", r.campaign());
            row.put("channel", r.channel());
            row.put("at", when(r.receivedAt()));
            row.put("change", r.change() == null ? "" : (r.change() > 0 ? "+" : "") + r.change());
            row.put("earlier", r.answers().size() <= 1 ? List.of() : r.answers().subList(0, r.answers().size() - 1).stream()
                    .map(a -> Map.of("score", a.score(), "comment", a.comment() == null ? "" : a.comment(), "at", when(a.at())))
                    .toList());
            return row;
        }).toList()));
        model.put("cases", reversed(h.cases().stream().map(k -> {
            Map<String, Object> row = new HashMap<>();
            row.put("id", k.id());
            row.put("campaign", k.campaign());
            row.put("category", k.category());
            row.put("owner", k.owner() == null ? "unassigned" : k.owner());
            row.put("status", k.status());
            row.put("opened", when(k.openedAt()));
            row.put("due", when(k.dueAt()));
            row.put("closed", k.closedAt() == null ? "" : when(k.closedAt()));
            row.put("reason", k.closeReason() == null ? "" : k.closeReason());
            row.put("notes", k.notes().stream().map(n -> Map.of("author", n.author(), "at", when(n.at()), "text", n.text())).toList());
            return row;
        }).toList()));
        model.put("invitations", reversed(h.invitations().stream().map(i -> Map.<String, Object>of(
                "campaign", i.campaign(), "cycle", i.cycle(), "channel", i.channel() == null ? "–" : i.channel(),
                "status", i.status(), "at", when(i.at()),
                "sent", i.sentAt() != null,
                "reason", i.skipReason() != null ? "skipped: " + i.skipReason()
                        : i.deferReason() != null ? "deferred: " + i.deferReason() : "")).toList()));
        model.put("messages", reversed(h.messages().stream().map(m -> Map.<String, Object>of(
                "direction", m.direction().equals("in") ? "received" : "sent",
                "what", m.direction().equals("in") ? "text" : m.kind() + (m.step() != null && m.step() > 0 ? " " + m.step() : ""),
                "campaign", m.campaign() == null ? "" : m.campaign(), "channel", m.channel(),
                "status", m.status(), "at", when(m.at()),
                "detail", m.direction().equals("in") ? m.text() : m.error() == null ? "" : m.error())).toList()));
        model.put("suppressions", reversed(h.suppressions().stream().map(s -> Map.<String, Object>of(
                "channel", s.channel(), "reason", s.reason(), "source", s.source() == null ? "" : s.source(),
                "at", when(s.at()))).toList()));
        pages.render(exchange, 200, "contact", model);
    }

    public void account(Exchange exchange) {
        Optional<User> user = pages.user(exchange, Role.VIEWER);
        if (user.isEmpty()) {
            return;
        }
        String id = exchange.getMessage().getHeader("id", String.class);
        DashboardFilter segment;
        try {
            segment = DashboardFilter.of(Map.of("where", FilterPages.query(exchange).getOrDefault("where", List.of())));
        } catch (InvalidInputException e) {
            Pages.text(exchange, 400, e.getMessage() + "\n");
            return;
        }
        Optional<Accounts.Account> found;
        try {
            found = accounts.of(id, date(exchange, "from"), date(exchange, "to"), segment.segment());
        } catch (DateTimeParseException | Accounts.BadPeriod e) {
            Pages.text(exchange, 400, "Bad request: from and to are dates (YYYY-MM-DD), to not before from.\n");
            return;
        }
        if (found.isEmpty()) {
            Pages.text(exchange, 404, "Not found\n");
            return;
        }
        Accounts.Account a = found.get();
        String download = exchange.getMessage().getHeader("download", String.class);
        if (download != null && List.of("contacts", "cases", "quarters").contains(download)) {
            accountCsv(exchange, a, download);
            return;
        }
        Map<String, Object> model = model(user.get(), "Account " + a.id());
        // the segment filter as on the dashboard's pages: its options, and kept in the download links
        DashboardFilter shown = new DashboardFilter(a.from(), a.to(), segment.where(), segment.segment());
        model.putAll(FilterPages.model("/accounts/" + id, shown, choices.values()));
        model.put("query", shown.query());
        model.put("account", a.id());
        model.put("attribute", a.attribute());
        model.put("from", a.from().toString());
        model.put("to", a.to().toString());
        model.put("nps", figures(a.figures()));
        model.put("contacts", a.contacts().stream().map(c -> {
            Map<String, Object> row = new HashMap<>();
            row.put("externalId", c.externalId());
            row.put("name", c.name() == null ? c.externalId() : c.name());
            row.put("answered", c.latest() != null);
            row.put("score", c.latest() == null ? "" : c.latest().score());
            row.put("category", c.latest() == null ? "" : c.latest().category());
            row.put("at", c.latest() == null ? "" : day(c.latest().receivedAt()));
            row.put("campaign", c.latest() == null ? "" : c.latest().campaign());
            row.put("responseId", c.latest() == null ? "" : Long.toString(c.latest().responseId()));
            return row;
        }).toList());
        model.put("cases", a.openCases().stream().map(k -> Map.<String, Object>of("id", k.id(), "externalId", k.externalId(),
                "name", k.name() == null ? k.externalId() : k.name(), "campaign", k.campaign(), "category", k.category(),
                "owner", k.owner() == null ? "unassigned" : k.owner(), "status", k.status(), "due", when(k.dueAt()),
                "overdue", k.dueAt().isBefore(Instant.now(accountsClock())))).toList());
        model.put("quarters", a.quarters().stream().map(q -> {
            Map<String, Object> row = figures(q.figures());
            row.put("quarter", q.label());
            return row;
        }).toList());
        pages.render(exchange, 200, "account", model);
    }

    /** An account page's table as CSV (through the one neutralising writer: names and ids are text). */
    private void accountCsv(Exchange exchange, Accounts.Account a, String table) {
        String name = "account-" + a.id() + "-" + table + ".csv";
        FilterPages.download(exchange, name, csv -> {
            switch (table) {
                case "contacts" -> {
                    csv.text("external_id", "name", "score", "category", "campaign", "received_at");
                    a.contacts().forEach(c -> csv.values(java.util.Arrays.asList(c.externalId(), c.name(),
                            c.latest() == null ? null : c.latest().score(), c.latest() == null ? null : c.latest().category(),
                            c.latest() == null ? null : c.latest().campaign(),
                            c.latest() == null ? null : c.latest().receivedAt().toString())));
                }
                case "cases" -> {
                    csv.text("case", "external_id", "name", "campaign", "category", "owner", "status", "due_at");
                    a.openCases().forEach(k -> csv.values(java.util.Arrays.asList(k.id(), k.externalId(), k.name(), k.campaign(),
                            k.category(), k.owner(), k.status(), k.dueAt().toString())));
                }
                default -> {
                    csv.text("quarter", "nps", "responded", "promoters", "passives", "detractors");
                    a.quarters().forEach(q -> csv.values(java.util.Arrays.asList(q.label(), q.figures().nps(),
                            q.figures().responded(), q.figures().promoters(), q.figures().passives(), q.figures().detractors())));
                }
            }
        });
    }

    private Clock accountsClock() {
        return accounts.clock();
    }

    private static Map<String, Object> figures(AccountNps.Figures f) {
        Map<String, Object> row = new HashMap<>();
        row.put("responded", f.responded());
        row.put("nps", f.nps() == null ? "–" : f.nps().toString());
        row.put("promoters", f.promoters());
        row.put("passives", f.passives());
        row.put("detractors", f.detractors());
        return row;
    }

    private static LocalDate date(Exchange exchange, String name) {
        String value = exchange.getMessage().getHeader(name, String.class);
        return value == null || value.isBlank() ? null : LocalDate.parse(value.strip());
    }

    private Map<String, Object> model(User user, String title) {
        Map<String, Object> model = pages.model(user);
        model.put("title", title);
        return model;
    }

    private static <T> List<T> reversed(List<T> list) {
        List<T> out = new ArrayList<>(list);
        java.util.Collections.reverse(out);
        return out;
    }

    private static String when(Instant at) {
        return at == null ? "" : WHEN.format(at);
    }

    private static String day(Instant at) {
        return DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC).format(at);
    }
}
