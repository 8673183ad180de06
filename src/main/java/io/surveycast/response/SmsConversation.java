package io.surveycast.response;

import io.surveycast.channel.TemplateStore;
import io.surveycast.consent.SmsConsent;
import io.surveycast.consent.SmsKeyword;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jooq.DSLContext;

/**
 * Answers a text received from Twilio; what it returns is the reply to send back (empty: none).
 *
 * <ul>
 * <li>Keywords first, whoever sends them: STOP (and the other opt-out words, or Twilio's
 *     {@code OptOutType} STOP) suppresses SMS for every contact with that number and gets no reply
 *     (Twilio confirms opt-outs itself and would not deliver a reply anyway); START lifts a STOP and
 *     is confirmed, unless {@code OptOutType} says Twilio's Advanced Opt-Out confirmed it already;
 *     HELP is always answered with who we are and how to stop.</li>
 * <li>Any other text from a number that is no contact's, or from a contact never invited by SMS:
 *     logged, no reply.</li>
 * <li>Otherwise it answers the invitation whose SMS the number received last. Read as a score
 *     ({@link SmsScoreParser}): recorded, then "why?" is asked, unless the text had a comment too
 *     ("9 - great support"), which ends the conversation with thanks. The first reply within 24
 *     hours of the "why?" is the comment, thanked; replies after the conversation ended are only
 *     logged. A text that is not a score gets one re-prompt for a number from 0 to 10; a second one
 *     gets a short help with the survey link; later ones no reply (a score still counts any time).
 *     An expired invitation gets a polite "this survey is closed". A contact who opted out of SMS
 *     may still answer, but gets no text back.</li>
 * </ul>
 * Each text is logged in {@code sms_inbound} with what it was taken as and the reply; one
 * transaction per text, so the same Twilio MessageSid twice is answered the same and handled once.
 */
public final class SmsConversation {
    static final Duration COMMENT_WINDOW = Duration.ofHours(24);
    private final DSLContext dsl;
    private final Clock clock;
    private final ResponseNotices notices;
    private final SmsConsent consent;
    private final TemplateStore templates;
    private final String publicUrl;
    private final String company;
    private final SmsConversationQueries queries = new SmsConversationQueries();
    private final ResponseQueries responseQueries = new ResponseQueries();
    private final SmsScoreParser parser = new SmsScoreParser();

    public SmsConversation(DSLContext dsl, Clock clock, ResponseNotices notices, TemplateStore templates,
                           String publicUrl, String company) {
        this.dsl = dsl;
        this.clock = clock;
        this.notices = notices;
        this.consent = new SmsConsent(clock);
        this.templates = templates;
        this.publicUrl = publicUrl.replaceAll("/+$", "");
        this.company = company;
    }

    /** What became of a text: how it was taken, and the reply (null: none). */
    private record Handled(String as, String reply, Long contactId, Long invitationId) { }

    /**
     * Handles a text from {@code from} (E.164). {@code messageSid} is Twilio's id of the text,
     * {@code optOutType} Twilio's field of the same name (null when absent).
     */
    public Optional<String> receive(String messageSid, String from, String body, String optOutType) {
        String text = body == null ? "" : body;
        return dsl.transactionResult(configuration -> {
            DSLContext tx = configuration.dsl();
            Instant now = clock.instant();
            Optional<Long> logged = queries.logInbound(tx, messageSid, from, text, now);
            if (logged.isEmpty()) {
                return Optional.ofNullable(queries.replyTo(tx, messageSid)); // Twilio sent this one before
            }
            Handled handled = handle(tx, from, text, optOutType, now);
            queries.handled(tx, logged.get(), handled.contactId(), handled.invitationId(), handled.as(), handled.reply());
            return Optional.ofNullable(handled.reply());
        });
    }

    private Handled handle(DSLContext tx, String from, String text, String optOutType, Instant now) {
        List<SmsConversationQueries.Sender> senders = queries.senders(tx, from);
        List<Long> contactIds = senders.stream().map(SmsConversationQueries.Sender::contactId).toList();
        Long contactId = contactIds.isEmpty() ? null : contactIds.get(0);
        String locale = senders.isEmpty() ? null : senders.get(0).locale();
        Optional<SmsKeyword> keyword = SmsKeyword.of(text, optOutType);
        if (keyword.isPresent()) {
            return switch (keyword.get()) {
                case STOP -> {
                    consent.stop(tx, contactIds);
                    yield new Handled("stop", null, contactId, null);
                }
                case START -> {
                    consent.start(tx, contactIds);
                    boolean confirm = !senders.isEmpty() && (optOutType == null || optOutType.isBlank());
                    yield new Handled("start", confirm ? render("reply-start", locale, Map.of()) : null, contactId, null);
                }
                case HELP -> new Handled("help", render("reply-help", locale, Map.of()), contactId, null);
            };
        }
        if (senders.isEmpty()) {
            return new Handled("unknown_sender", null, null, null);
        }
        Optional<Long> invitationId = queries.latestSmsInvitation(tx, contactIds);
        if (invitationId.isEmpty()) {
            return new Handled("ignored", null, contactId, null);
        }
        queries.lock(tx, invitationId.get());
        SurveyInvitation invitation = responseQueries.byId(tx, invitationId.get(), false).orElseThrow();
        Handled handled = converse(tx, invitation, text, now);
        if (handled.reply() != null && queries.smsSuppressed(tx, invitation.contactId())) {
            // an answer from a number that opted out still counts, but gets no text back
            return new Handled(handled.as(), null, handled.contactId(), handled.invitationId());
        }
        return handled;
    }

    private Handled converse(DSLContext tx, SurveyInvitation invitation, String text, Instant now) {
        long id = invitation.invitationId();
        Optional<SmsConversationQueries.State> state = queries.state(tx, id);
        String current = state.map(SmsConversationQueries.State::state).orElse(null);
        Responses responses = new Responses(tx, clock, notices);
        if ("awaiting_comment".equals(current)) {
            if (now.isBefore(state.get().whyAskedAt().plus(COMMENT_WINDOW))) {
                Responses.Outcome outcome = responses.answer(id, null, text, "sms").orElseThrow();
                queries.save(tx, id, "done", state.get().whyAskedAt(), now);
                return outcome instanceof Responses.Outcome.Recorded
                        ? handled(invitation, "comment", render("reply-thanks", invitation, Map.of()))
                        : handled(invitation, "closed", null);
            }
            queries.save(tx, id, "done", state.get().whyAskedAt(), now);
            current = "done";
        }
        if ("done".equals(current)) {
            return handled(invitation, "ignored", null);
        }
        if (!invitation.answered() && invitation.expiredAt(now)) {
            return handled(invitation, "expired", render("reply-expired", invitation, Map.of()));
        }
        Optional<SmsScoreParser.Reading> reading = parser.parse(text);
        if (reading.isEmpty()) {
            if (current == null) {
                queries.save(tx, id, "reprompted", null, now);
                return handled(invitation, "reprompt", render("reply-reprompt", invitation, Map.of()));
            }
            if (current.equals("reprompted")) {
                queries.save(tx, id, "gave_help", null, now);
                return handled(invitation, "unreadable", render("reply-unreadable", invitation, Map.of()));
            }
            return handled(invitation, "ignored", null);
        }
        Responses.Outcome outcome = responses.answer(id, reading.get().score(), reading.get().comment(), "sms").orElseThrow();
        return switch (outcome) {
            case Responses.Outcome.Expired expired -> handled(invitation, "expired", render("reply-expired", invitation, Map.of()));
            case Responses.Outcome.Closed closed -> {
                queries.save(tx, id, "done", null, now);
                yield handled(invitation, "closed", render("reply-thanks", invitation, Map.of()));
            }
            case Responses.Outcome.Recorded recorded -> {
                Map<String, Object> score = Map.of("score", recorded.invitation().score());
                if (recorded.invitation().comment() != null) {
                    queries.save(tx, id, "done", null, now);
                    yield handled(invitation, "score", render("reply-thanks", invitation, score));
                }
                queries.save(tx, id, "awaiting_comment", now, now);
                yield handled(invitation, "score", render("reply-why", invitation, score));
            }
        };
    }

    private static Handled handled(SurveyInvitation invitation, String as, String reply) {
        return new Handled(as, reply, invitation.contactId(), invitation.invitationId());
    }

    private String render(String template, SurveyInvitation invitation, Map<String, Object> more) {
        Map<String, Object> model = new HashMap<>(more);
        model.put("question", invitation.campaign().question().in(invitation.locale()));
        if (invitation.token() != null) {
            model.put("surveyUrl", publicUrl + "/s/" + invitation.token());
        }
        return render(template, invitation.locale(), model);
    }

    /** {@code templates/sms/NAME[.LOCALE].txt}, on one line as SMS are. */
    private String render(String template, String locale, Map<String, Object> more) {
        Map<String, Object> model = new HashMap<>(more);
        model.put("company", company);
        return templates.render("sms", template, locale, "txt", model).strip().replaceAll("\\s*\\n\\s*", " ");
    }
}
