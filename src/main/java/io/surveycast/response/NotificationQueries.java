package io.surveycast.response;

import static io.surveycast.db.Tables.NOTIFICATION;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.jooq.DSLContext;

/** The SQL of the notification outbox: claiming what is due, recording what became of it. */
final class NotificationQueries {

    record Due(long id, Long responseId, String kind, String event, String target, String payload, int attempts) { }

    /**
     * Claims up to {@code limit} due notifications for {@code lease} (another node skips them, and
     * takes them over if this one dies before recording the outcome).
     */
    List<Due> claim(DSLContext dsl, Instant now, int limit, Duration lease) {
        return claim(dsl, now, limit, lease, null);
    }

    /** As {@link #claim(DSLContext, Instant, int, Duration)}, only notifications of {@code event} when it is not null. */
    List<Due> claim(DSLContext dsl, Instant now, int limit, Duration lease, String event) {
        var due = dsl.select(NOTIFICATION.ID).from(NOTIFICATION)
                // inlined, so that a generic plan can use the partial index notification_due (see OutboxQueries.claim)
                .where(NOTIFICATION.STATUS.eq(org.jooq.impl.DSL.inline("queued")), NOTIFICATION.NEXT_ATTEMPT_AT.le(utc(now)),
                        event == null ? org.jooq.impl.DSL.noCondition() : NOTIFICATION.EVENT.eq(event))
                .orderBy(NOTIFICATION.NEXT_ATTEMPT_AT)
                .limit(limit)
                .forUpdate().skipLocked();
        return dsl.update(NOTIFICATION)
                .set(NOTIFICATION.ATTEMPTS, NOTIFICATION.ATTEMPTS.plus(1))
                .set(NOTIFICATION.NEXT_ATTEMPT_AT, utc(now.plus(lease)))
                .where(NOTIFICATION.ID.in(due))
                .returning(NOTIFICATION.ID, NOTIFICATION.RESPONSE_ID, NOTIFICATION.KIND, NOTIFICATION.EVENT,
                        NOTIFICATION.TARGET, NOTIFICATION.PAYLOAD, NOTIFICATION.ATTEMPTS)
                .fetch(r -> new Due(r.getId(), r.getResponseId(), r.getKind(), r.getEvent(), r.getTarget(), r.getPayload(),
                        r.getAttempts()));
    }

    /** Whether the response's comment is (or will be) posted on its own ({@code alerts.every-comment}). */
    boolean hasCommentPost(DSLContext dsl, long responseId) {
        return dsl.fetchExists(NOTIFICATION, NOTIFICATION.RESPONSE_ID.eq(responseId), NOTIFICATION.KIND.eq("comment_webhook"));
    }

    void sent(DSLContext dsl, long id, String note, Instant now) {
        dsl.update(NOTIFICATION)
                .set(NOTIFICATION.STATUS, "sent")
                .set(NOTIFICATION.SENT_AT, utc(now))
                .set(NOTIFICATION.LAST_ERROR, note)
                .where(NOTIFICATION.ID.eq(id))
                .execute();
    }

    void retry(DSLContext dsl, long id, String error, Instant at) {
        dsl.update(NOTIFICATION)
                .set(NOTIFICATION.NEXT_ATTEMPT_AT, utc(at))
                .set(NOTIFICATION.LAST_ERROR, error)
                .where(NOTIFICATION.ID.eq(id))
                .execute();
    }

    void failed(DSLContext dsl, long id, String error) {
        dsl.update(NOTIFICATION)
                .set(NOTIFICATION.STATUS, "failed")
                .set(NOTIFICATION.LAST_ERROR, error)
                .where(NOTIFICATION.ID.eq(id))
                .execute();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
