package io.surveycast.response;

import static io.surveycast.db.Tables.NOTIFICATION;

import io.surveycast.db.tables.records.NotificationRecord;
import java.time.Instant;
import java.time.ZoneOffset;
import org.jooq.DSLContext;
import org.jooq.InsertOnDuplicateStep;

/**
 * Queues a row of the notification outbox that {@link NotificationSender} delivers: the one insert
 * the answers' notices, the follow-up cases' notices and the digests share.
 */
public final class NotificationOutbox {
    private NotificationOutbox() {
    }

    /**
     * A notification of {@code kind} (email, webhook, ...) for {@code event} to {@code target}, due
     * at {@code due}, written {@code now}; {@code responseId} null for one that is about no answer.
     * The caller executes it, or first adds {@code onConflictDoNothing()}.
     */
    public static InsertOnDuplicateStep<NotificationRecord> queue(DSLContext dsl, Long responseId, String kind, String event,
                                                                  String target, String payload, Instant due, Instant now) {
        return dsl.insertInto(NOTIFICATION)
                .set(NOTIFICATION.RESPONSE_ID, responseId)
                .set(NOTIFICATION.KIND, kind)
                .set(NOTIFICATION.EVENT, event)
                .set(NOTIFICATION.TARGET, target)
                .set(NOTIFICATION.PAYLOAD, payload)
                .set(NOTIFICATION.NEXT_ATTEMPT_AT, due.atOffset(ZoneOffset.UTC))
                .set(NOTIFICATION.CREATED_AT, now.atOffset(ZoneOffset.UTC));
    }
}
