package io.surveycast.response;

import io.surveycast.channel.TemplateStore;
import io.surveycast.http.FormBody;
import io.surveycast.http.FormSigner;
import io.surveycast.promoter.FollowUpLinks;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The survey page {@code /s/{token}}. A GET never records anything (mail security scanners follow
 * every link): {@code ?score=N} only preselects the score, and the page itself posts it (at once
 * with JavaScript when a person is looking, else with its button). Then the "why?", then thanks.
 * Form posts carry a signed field ({@link FormSigner}): no cookie, so mail apps' in-app browsers
 * that drop cookies still work.
 */
public final class SurveyPage {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Responses responses;
    private final TemplateStore templates;
    private final Clock clock;
    private final String company;
    private final FormSigner signer;

    public SurveyPage(Responses responses, TemplateStore templates, Clock clock, String company, FormSigner signer) {
        this.responses = responses;
        this.templates = templates;
        this.clock = clock;
        this.company = company;
        this.signer = signer;
    }

    public void show(Exchange exchange) {
        Message in = exchange.getMessage();
        Optional<SurveyInvitation> found = responses.find(token(in));
        if (found.isEmpty()) {
            notFound(exchange);
            return;
        }
        SurveyInvitation invitation = found.get();
        Integer preselect = score(in.getHeader("score", String.class));
        boolean change = in.getHeader("change") != null;
        boolean done = in.getHeader("done") != null;
        Long via = via(in.getHeader("via", String.class));
        String csrf = signer.sign("survey", invitation.token());
        String step = step(invitation, preselect, change, done);
        Map<String, Object> model = model(invitation, step, csrf);
        // the message the link came from, signed for this survey: the answer is credited to it
        model.put("via", via == null ? "" : via + ":" + signer.sign("survey-via", invitation.token() + ":" + via));
        model.put("preselected", preselect != null ? preselect : invitation.score() == null ? -1 : invitation.score());
        model.put("autoSubmit", step.equals("score") && !invitation.answered() && preselect != null);
        render(exchange, 200, invitation, model);
    }

    private String step(SurveyInvitation invitation, Integer preselect, boolean change, boolean done) {
        var now = clock.instant();
        if (!invitation.answered()) {
            return invitation.expiredAt(now) ? "expired" : "score";
        }
        if (!invitation.changeableAt(now)) {
            return "closed";
        }
        if (change || (preselect != null && !preselect.equals(invitation.score()))) {
            return "score";
        }
        return done || invitation.comment() != null ? "thanks" : "comment";
    }

    public void submit(Exchange exchange) {
        Message in = exchange.getMessage();
        String token = token(in);
        Optional<SurveyInvitation> found = responses.find(token);
        if (found.isEmpty()) {
            notFound(exchange);
            return;
        }
        SurveyInvitation invitation = found.get();
        Map<String, String> form = FormBody.of(in);
        Long via = signedVia(invitation.token(), form.get("via"));
        String csrf = signer.sign("survey", invitation.token());
        if (!signer.verify("survey", invitation.token(), form.get("csrf"))) {
            render(exchange, 403, invitation, model(invitation, "forbidden", csrf));
            return;
        }
        String channel = "email".equals(invitation.channel()) ? "email" : "web";
        boolean commentStep = "comment".equals(form.get("step"));
        Integer score = commentStep ? null : score(form.get("score"));
        if (!commentStep && score == null) {
            Map<String, Object> model = model(invitation, "score", csrf);
            model.put("preselected", -1);
            model.put("autoSubmit", false);
            model.put("error", true);
            render(exchange, 400, invitation, model);
            return;
        }
        String comment = form.getOrDefault("comment", "");
        comment = Responses.limited(comment);
        if (commentStep && comment.isBlank()) {
            redirect(exchange, token, "?done=1"); // nothing to add: straight to thanks
            return;
        }
        Responses.Outcome outcome = responses.answer(invitation.invitationId(), score, commentStep ? comment : null, channel,
                        via).orElseThrow();
        switch (outcome) {
            case Responses.Outcome.Recorded recorded -> redirect(exchange, token, commentStep ? "?done=1" : "");
            case Responses.Outcome.Expired expired -> render(exchange, 200, invitation, model(invitation, "expired", csrf));
            case Responses.Outcome.Closed closed -> render(exchange, 200, closed.invitation(),
                    model(closed.invitation(), "closed", csrf));
            case Responses.Outcome.BeforeInvite early -> io.surveycast.http.Pages.text(exchange, 409,
                    "This survey was sent at " + early.sentAt() + ", after this server's time (" + early.now()
                            + "): an answer cannot come before its invitation, so nothing was recorded.\n"
                            + "(The server runs on an earlier clock than the one that sent the survey: see SURVEYCAST_CLOCK.)\n");
        }
    }

    /** The message id a survey link names ({@code via}), or null when absent or not a number. */
    private static Long via(String value) {
        if (value == null || value.isEmpty() || value.length() > 18 || !value.chars().allMatch(Character::isDigit)) {
            return null;
        }
        return Long.valueOf(value);
    }

    /** The message id of a form's {@code via} field ("ID:signature"), or null when absent or not signed for this survey. */
    private Long signedVia(String token, String field) {
        int colon = field == null ? -1 : field.indexOf(':');
        Long id = colon < 0 ? null : via(field.substring(0, colon));
        return id != null && signer.verify("survey-via", token + ":" + id, field.substring(colon + 1)) ? id : null;
    }

    private Map<String, Object> model(SurveyInvitation invitation, String step, String csrf) {
        Map<String, Object> model = new HashMap<>();
        Map<String, String> text = PageText.load(templates, "survey", invitation.locale());
        model.put("t", text);
        model.put("links", links(invitation, text));
        model.put("promoter", invitation.score() != null && invitation.score() >= 9);
        model.put("lang", language(invitation.locale()));
        model.put("step", step);
        model.put("question", invitation.campaign().question().in(invitation.locale()));
        model.put("company", company);
        model.put("name", invitation.contactName() == null ? "" : invitation.contactName());
        model.put("score", invitation.score() == null ? -1 : invitation.score());
        model.put("comment", invitation.comment() == null ? "" : invitation.comment());
        model.put("csrf", csrf);
        model.put("action", "/s/" + invitation.token());
        model.put("nonce", newToken());
        model.put("preselected", invitation.score() == null ? -1 : invitation.score());
        model.put("autoSubmit", false);
        model.put("error", false);
        model.put("via", "");
        return model;
    }

    /**
     * The campaign's follow-up links (a review site, a referral page), each through
     * {@code /r/{token}/{link}} so its clicks are counted, with its label ({@code link.NAME} in the
     * page's wording, else the name). Every respondent gets the same links, the page only
     * emphasises them for promoters: showing review links only to happy customers ("review
     * gating") is against the review sites' rules (Google's, Trustpilot's) and skews the reviews.
     */
    private static List<Map<String, String>> links(SurveyInvitation invitation, Map<String, String> text) {
        List<Map<String, String>> links = new ArrayList<>();
        FollowUpLinks.urls("", invitation.token(), invitation.campaign().followUp().links()).forEach((name, url) ->
                links.add(Map.of("name", name, "url", url, "label", text.getOrDefault("link." + name, name))));
        return links;
    }

    private void render(Exchange exchange, int status, SurveyInvitation invitation, Map<String, Object> model) {
        String html = templates.render("web", "survey", invitation.locale(), "html", model);
        Message out = exchange.getMessage();
        out.removeHeaders("*");
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        out.setHeader(Exchange.CONTENT_TYPE, "text/html; charset=utf-8");
        out.setHeader("Cache-Control", "no-store");
        out.setHeader("Referrer-Policy", "no-referrer"); // the token is in the URL
        out.setHeader("X-Content-Type-Options", "nosniff");
        out.setHeader("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; script-src 'nonce-"
                + model.get("nonce") + "'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
        out.setBody(html);
    }

    private static void redirect(Exchange exchange, String token, String query) {
        Message out = exchange.getMessage();
        out.removeHeaders("*");
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, 303);
        out.setHeader("Location", "/s/" + token + query);
        out.setHeader("Cache-Control", "no-store");
        out.setBody("");
    }

    private static void notFound(Exchange exchange) {
        Message out = exchange.getMessage();
        out.removeHeaders("*");
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, 404);
        out.setHeader(Exchange.CONTENT_TYPE, "text/plain; charset=utf-8");
        out.setBody("Not found\n");
    }

    private static String token(Message in) {
        return in.getHeader("token", String.class);
    }

    static Integer score(String value) {
        if (value == null) {
            return null;
        }
        try {
            int score = Integer.parseInt(value.strip());
            return score >= 0 && score <= 10 ? score : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String newToken() {
        byte[] bytes = new byte[18];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String language(String locale) {
        if (locale == null || locale.isBlank()) {
            return "en";
        }
        String tag = java.util.Locale.forLanguageTag(locale.replace('_', '-')).toLanguageTag();
        return tag.equals("und") ? "en" : tag;
    }
}
