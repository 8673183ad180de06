package io.surveycast.response;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jooq.DSLContext;

/**
 * Recording answers, from any channel: the first answer to an open invitation creates the
 * response, marks the invitation responded and cancels its pending reminders; for 24 hours the
 * score and comment may change (the last answer wins, every answer stays in the history).
 * Notifications about it (webhooks, detractor alerts) are queued in the same transaction.
 */
public final class Responses {
    static final Duration CHANGE_WINDOW = Duration.ofHours(24);
    private final DSLContext dsl;
    private final Clock clock;
    private final ResponseNotices notices;
    private final ResponseQueries queries = new ResponseQueries();

    public Responses(DSLContext dsl, Clock clock, ResponseNotices notices) {
        this.dsl = dsl;
        this.clock = clock;
        this.notices = notices;
    }

    /** What became of an answer. */
    public sealed interface Outcome {
        /** Stored; {@code created} false when it changed an earlier answer. */
        record Recorded(SurveyInvitation invitation, boolean created) implements Outcome { }

        /** The invitation expired before any answer: nothing recorded. */
        record Expired(SurveyInvitation invitation) implements Outcome { }

        /** Answered more than 24 hours ago: the answer can no longer change. */
        record Closed(SurveyInvitation invitation) implements Outcome { }

        /**
         * The answer would be dated before its invitation was sent (a clock behind the one that sent
         * it, e.g. a simulated {@code run-due --at} in the future): nothing recorded.
         */
        record BeforeInvite(SurveyInvitation invitation, Instant sentAt, Instant now) implements Outcome { }
    }

    public Optional<SurveyInvitation> find(String token) {
        return queries.byToken(dsl, token, false);
    }

    public Optional<SurveyInvitation> find(long invitationId) {
        return queries.byId(dsl, invitationId, false);
    }

    /**
     * Records a score and/or a comment for the invitation ({@code score} null keeps the score
     * already given: a comment alone needs an earlier score). Empty when there is no such invitation.
     */
    /** The longest comment kept, on any channel (the survey page's and SMS's); longer ones are cut. */
    public static final int MAX_COMMENT = 5000;

    /** {@code text} cut to {@link #MAX_COMMENT} characters, never inside a surrogate pair. */
    static String limited(String text) {
        if (text.length() <= MAX_COMMENT) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(MAX_COMMENT - 1)) ? MAX_COMMENT - 1 : MAX_COMMENT;
        return text.substring(0, end);
    }

    public Optional<Outcome> answer(long invitationId, Integer score, String comment, String channel) {
        return answer(invitationId, score, comment, channel, null);
    }

    /**
     * The same, for an answer that came through the link of message {@code viaMessageId} (kept
     * when that message belongs to the invitation).
     */
    public Optional<Outcome> answer(long invitationId, Integer score, String comment, String channel, Long viaMessageId) {
        if (score != null && (score < 0 || score > 10)) {
            throw new IllegalArgumentException("a score is a whole number from 0 to 10: " + score);
        }
        Instant now = clock.instant();
        return dsl.transactionResult(tx -> {
            DSLContext t = tx.dsl();
            Optional<SurveyInvitation> found = queries.byId(t, invitationId, true);
            if (found.isEmpty()) {
                return Optional.<Outcome>empty();
            }
            SurveyInvitation before = found.get();
            String text = comment == null ? null : limited(comment.strip());
            if (text != null && text.isEmpty()) {
                text = null;
            }
            Optional<Instant> sentAt = queries.sentAt(t, invitationId);
            if (sentAt.isPresent() && now.isBefore(sentAt.get())) {
                return Optional.<Outcome>of(new Outcome.BeforeInvite(before, sentAt.get(), now));
            }
            if (!before.answered()) {
                if (before.expiredAt(now)) {
                    return Optional.<Outcome>of(new Outcome.Expired(before));
                }
                if (score == null) {
                    throw new IllegalArgumentException("a comment needs a score first");
                }
                long id = queries.insert(t, invitationId, score, text, channel, viaMessageId, now);
                queries.cancelPending(t, before.contactId(), invitationId, now);
                SurveyInvitation after = queries.byId(t, invitationId, false).orElseThrow();
                notices.created(t, queries, after, now);
                return Optional.<Outcome>of(new Outcome.Recorded(after, true));
            }
            if (!before.changeableAt(now)) {
                return Optional.<Outcome>of(new Outcome.Closed(before));
            }
            int newScore = score == null ? before.score() : score;
            String newComment = text == null ? before.comment() : text;
            if (newScore == before.score() && java.util.Objects.equals(newComment, before.comment())) {
                return Optional.<Outcome>of(new Outcome.Recorded(before, false)); // the same answer again: nothing new
            }
            queries.update(t, before.responseId(), newScore, newComment, channel, now);
            SurveyInvitation after = queries.byId(t, invitationId, false).orElseThrow();
            notices.updated(t, queries, before, after, now);
            return Optional.<Outcome>of(new Outcome.Recorded(after, false));
        });
    }

    public static String category(int score) {
        return score >= 9 ? "promoter" : score >= 7 ? "passive" : "detractor";
    }
}
