package io.surveycast.response;

import io.surveycast.channel.TemplateStore;
import io.surveycast.user.Role;
import io.surveycast.http.Pages;
import io.surveycast.user.SessionAuth;
import io.surveycast.user.SignedInPages;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.jooq.DSLContext;

/**
 * {@code /responses/{id}}: one response as the account owner needs it when an alert arrives (who,
 * which campaign, the score and the why, every change, its themes as chips), for any signed-in
 * user; ops users also get the form that sets its themes by hand.
 */
public final class ResponsePage {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);
    private final DSLContext dsl;
    private final SignedInPages pages;
    private final ResponseQueries queries = new ResponseQueries();

    /** Signs the form of a response's themes (posted to the theme feature's page, for ops); null: no form. */
    private final io.surveycast.http.FormSigner signer;

    public ResponsePage(DSLContext dsl, SessionAuth auth, TemplateStore templates, String company) {
        this(dsl, auth, templates, company, null);
    }

    public ResponsePage(DSLContext dsl, SessionAuth auth, TemplateStore templates, String company,
                        io.surveycast.http.FormSigner signer) {
        this.dsl = dsl;
        this.pages = new SignedInPages(auth, templates, signer, company);
        this.signer = signer;
    }

    /** The signed form action of a response's themes: {@code ThemesPage.FORM} in the theme feature. */
    static final String THEMES_FORM = "response-themes";

    public void show(Exchange exchange) {
        var user = pages.user(exchange, Role.VIEWER);
        if (user.isEmpty()) {
            return;
        }
        long id;
        try {
            id = Long.parseLong(exchange.getMessage().getHeader("id", String.class));
        } catch (NumberFormatException e) {
            Pages.text(exchange, 404, "Not found\n");
            return;
        }
        var found = queries.byResponse(dsl, id);
        if (found.isEmpty()) {
            Pages.text(exchange, 404, "Not found\n");
            return;
        }
        SurveyInvitation r = found.get();
        Map<String, Object> model = pages.model(user.get());
        model.put("id", id);
        model.put("score", r.score());
        model.put("category", Responses.category(r.score()));
        model.put("comment", r.comment() == null ? "" : r.comment());
        model.put("channel", r.responseChannel());
        model.put("received", WHEN.format(r.receivedAt()));
        model.put("campaign", r.campaign().name());
        model.put("question", r.campaign().question().in(r.locale()));
        model.put("contactName", r.contactName() == null ? "" : r.contactName());
        model.put("externalId", r.externalId());
        model.put("email", r.contactEmail() == null ? "" : r.contactEmail());
        List<Map<String, Object>> history = queries.history(dsl, id).stream().map(h -> Map.<String, Object>of(
                "score", h.score(), "comment", h.comment() == null ? "" : h.comment(), "channel", h.channel(),
                "at", WHEN.format(h.at()))).toList();
        model.put("history", history);
        var themes = queries.themes(dsl, id);
        model.put("themes", themes.stream().map(t -> Map.<String, Object>of("key", t.key(), "label", t.label(),
                "tagged", t.tagged(), "source", t.source() == null ? "" : t.source())).toList());
        String sentiment = queries.sentiment(dsl, id);
        model.put("sentiment", sentiment == null ? "" : sentiment);
        boolean canTag = signer != null && user.get().role().includes(Role.OPS);
        model.put("canTag", canTag);
        model.put("csrf", canTag ? pages.sign(THEMES_FORM, Long.toString(id)) : "");
        pages.render(exchange, 200, "response", model);
    }
}
