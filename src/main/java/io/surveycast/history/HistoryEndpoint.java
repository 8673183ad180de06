package io.surveycast.history;

import io.surveycast.http.ApiProblem;
import io.surveycast.http.ApiRequest;
import io.surveycast.http.HttpResponses;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;

/**
 * {@code GET /api/contacts/{external_id}/history} (ops: it names addresses, messages and provider
 * errors) and {@code GET /api/accounts/{id}} (viewer: scores and names, as the reports). Lists are
 * oldest first; times are ISO instants.
 */
public final class HistoryEndpoint {
    private final ContactHistory histories;
    private final Accounts accounts;

    HistoryEndpoint(ContactHistory histories, Accounts accounts) {
        this.histories = histories;
        this.accounts = accounts;
    }

    public void contactHistory(Exchange exchange) {
        String externalId = new ApiRequest(exchange).path("external_id");
        ContactHistory.History h = histories.of(externalId)
                .orElseThrow(() -> ApiProblem.notFound("no contact with external_id " + externalId));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("contact", contact(h.contact(), h.account()));
        body.put("invitations", h.invitations().stream().map(HistoryEndpoint::invitation).toList());
        body.put("responses", h.responses().stream().map(HistoryEndpoint::response).toList());
        body.put("messages", h.messages().stream().map(HistoryEndpoint::message).toList());
        body.put("suppressions", h.suppressions().stream().map(s -> row(
                "channel", s.channel(), "reason", s.reason(), "at", text(s.at()), "source", s.source())).toList());
        body.put("cases", h.cases().stream().map(HistoryEndpoint::followUp).toList());
        HttpResponses.json(exchange, 200, body);
    }

    public void account(Exchange exchange) {
        ApiRequest request = new ApiRequest(exchange);
        String id = request.path("id");
        Accounts.Account a;
        try {
            a = accounts.of(id, request.date("from"), request.date("to"))
                    .orElseThrow(() -> ApiProblem.notFound("no contact has " + accounts.attribute() + " " + id));
        } catch (Accounts.BadPeriod e) {
            throw ApiProblem.badRequest(e.getMessage());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("account", a.id());
        body.put("attribute", a.attribute());
        body.put("from", a.from().toString());
        body.put("to", a.to().toString());
        body.putAll(figures(a.figures()));
        body.put("contacts", a.contacts().stream().map(c -> {
            Map<String, Object> row = row("external_id", c.externalId(), "name", c.name());
            AccountNps.Answer latest = c.latest();
            row.put("score", latest == null ? null : latest.score());
            row.put("category", latest == null ? null : latest.category());
            row.put("received_at", latest == null ? null : text(latest.receivedAt()));
            row.put("campaign", latest == null ? null : latest.campaign());
            row.put("response_id", latest == null ? null : latest.responseId());
            return row;
        }).toList());
        body.put("open_cases", a.openCases().stream().map(c -> {
            Map<String, Object> row = row("id", c.id(), "external_id", c.externalId(), "name", c.name(),
                    "campaign", c.campaign(), "category", c.category());
            row.putAll(row("owner", c.owner(), "status", c.status(), "opened_at", text(c.openedAt()), "due_at", text(c.dueAt())));
            return row;
        }).toList());
        body.put("quarters", a.quarters().stream().map(q -> {
            Map<String, Object> row = row("quarter", q.label(), "from", q.from().toString(), "to", q.to().toString());
            row.putAll(figures(q.figures()));
            return row;
        }).toList());
        HttpResponses.json(exchange, 200, body);
    }

    /** As a report row: {@code responded}, {@code nps}, shares in percent and their counts. */
    static Map<String, Object> figures(AccountNps.Figures f) {
        Map<String, Object> row = row("responded", f.responded(), "nps", f.nps());
        row.putAll(row("promoters", f.share(f.promoters()), "passives", f.share(f.passives()),
                "detractors", f.share(f.detractors())));
        row.putAll(row("promoters_count", f.promoters(), "passives_count", f.passives(),
                "detractors_count", f.detractors()));
        return row;
    }

    private static Map<String, Object> contact(ContactHistory.Contact c, String account) {
        Map<String, Object> row = row("external_id", c.externalId(), "email", c.email(), "phone", c.phone(), "name", c.name());
        row.putAll(row("locale", c.locale(), "timezone", c.timezone(), "onboarded_at", text(c.onboardedAt()),
                "renewal_date", c.renewalDate() == null ? null : c.renewalDate().toString()));
        row.putAll(row("attributes", c.attributes(), "account", account, "created_at", text(c.createdAt()),
                "updated_at", text(c.updatedAt())));
        return row;
    }

    private static Map<String, Object> invitation(ContactHistory.Invitation i) {
        Map<String, Object> row = row("id", i.id(), "campaign", i.campaign(), "campaign_name", i.campaignName(),
                "cycle", i.cycle(), "channel", i.channel());
        row.putAll(row("status", i.status(), "planned_at", text(i.plannedAt()), "invite_at", text(i.inviteAt()),
                "sent_at", text(i.sentAt()), "responded_at", text(i.respondedAt())));
        row.putAll(row("expires_at", text(i.expiresAt()), "skip_reason", i.skipReason(), "defer_reason", i.deferReason()));
        return row;
    }

    private static Map<String, Object> response(ContactHistory.Response r) {
        Map<String, Object> row = row("id", r.id(), "invitation_id", r.invitationId(), "campaign", r.campaign(),
                "cycle", r.cycle(), "score", r.score());
        row.putAll(row("category", r.category(), "comment", r.comment(), "channel", r.channel(),
                "received_at", text(r.receivedAt()), "updated_at", text(r.updatedAt())));
        row.put("change", r.change());
        row.put("answers", r.answers().stream().map(a -> row("score", a.score(), "comment", a.comment(),
                "channel", a.channel(), "at", text(a.at()))).toList());
        return row;
    }

    private static Map<String, Object> message(ContactHistory.Message m) {
        Map<String, Object> row = row("direction", m.direction(), "id", m.id(), "invitation_id", m.invitationId(),
                "campaign", m.campaign(), "channel", m.channel());
        row.put("at", text(m.at()));
        if (m.direction().equals("in")) {
            row.putAll(row("text", m.text(), "handled_as", m.status(), "reply", m.reply()));
        } else {
            row.putAll(row("kind", m.kind(), "step", m.step(), "status", m.status(), "sent_at", text(m.sentAt()),
                    "delivered_at", text(m.deliveredAt())));
            row.put("error", m.error());
        }
        return row;
    }

    private static Map<String, Object> followUp(ContactHistory.Case c) {
        Map<String, Object> row = row("id", c.id(), "response_id", c.responseId(), "campaign", c.campaign(),
                "category", c.category(), "owner", c.owner());
        row.putAll(row("status", c.status(), "opened_at", text(c.openedAt()), "due_at", text(c.dueAt()),
                "first_action_at", text(c.firstActionAt()), "closed_at", text(c.closedAt())));
        row.put("close_reason", c.closeReason());
        row.put("notes", c.notes().stream().map(n -> row("author", n.author(), "at", text(n.at()), "text", n.text())).toList());
        return row;
    }

    /** An ordered map of the fields given as name, value, ...; null values are kept (the field is there, empty). */
    private static Map<String, Object> row(Object... keysAndValues) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            row.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return row;
    }

    private static String text(Instant at) {
        return at == null ? null : at.toString();
    }
}
