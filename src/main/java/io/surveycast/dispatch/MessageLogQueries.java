package io.surveycast.dispatch;

import static io.surveycast.db.Tables.CAMPAIGN;
import static io.surveycast.db.Tables.CONTACT;
import static io.surveycast.db.Tables.INVITATION;
import static io.surveycast.db.Tables.MESSAGE;
import static org.jooq.impl.DSL.coalesce;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.SelectOnConditionStep;
import org.jooq.impl.DSL;

/** The SQL of the message log: export, failed messages, and putting failed ones back in the queue. */
final class MessageLogQueries {

    /** Streams every message (sent or due) in the period, oldest first, without holding them all in memory. */
    void export(DSLContext dsl, Instant from, Instant to, Consumer<MessageLogEntry> each) {
        List<Condition> where = new ArrayList<>();
        var when = coalesce(MESSAGE.SENT_AT, MESSAGE.NOT_BEFORE);
        if (from != null) {
            where.add(when.ge(utc(from)));
        }
        if (to != null) {
            where.add(when.lt(utc(to)));
        }
        dsl.connection(connection -> {
            // a cursor needs a transaction in PostgreSQL's driver; autocommit would fetch every row at once
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try (var cursor = joined(DSL.using(connection, dsl.dialect())).where(where).orderBy(when, MESSAGE.ID)
                    .fetchSize(5000).fetchLazy()) {
                for (Record r : cursor) {
                    each.accept(entry(r));
                }
            } finally {
                connection.commit();
                connection.setAutoCommit(autoCommit);
            }
        });
    }

    List<MessageLogEntry> failed(DSLContext dsl) {
        return joined(dsl).where(MESSAGE.STATUS.eq("failed")).orderBy(MESSAGE.UPDATED_AT, MESSAGE.ID)
                .fetch(MessageLogQueries::entry);
    }

    /** Failed messages among {@code ids} (all of them when null), back to queued now; their invitations too. */
    List<Long> retry(DSLContext tx, Collection<Long> ids, Instant now) {
        Condition which = MESSAGE.STATUS.eq("failed");
        if (ids != null) {
            which = which.and(MESSAGE.ID.in(ids));
        }
        List<Long> requeued = tx.update(MESSAGE)
                .set(MESSAGE.STATUS, "queued")
                .set(MESSAGE.ATTEMPTS, 0)
                .set(MESSAGE.NOT_BEFORE, utc(now))
                .set(MESSAGE.NEXT_ATTEMPT_AT, (OffsetDateTime) null)
                .set(MESSAGE.HELD_UNTIL, (OffsetDateTime) null)
                .set(MESSAGE.UPDATED_AT, utc(now))
                .where(which)
                .returning(MESSAGE.ID)
                .fetch(MESSAGE.ID);
        tx.update(INVITATION)
                .set(INVITATION.STATUS, "planned")
                .where(INVITATION.STATUS.eq("failed"), INVITATION.ID.in(
                        DSL.select(MESSAGE.INVITATION_ID).from(MESSAGE)
                                .where(MESSAGE.ID.in(requeued), MESSAGE.KIND.eq("invite"))))
                .execute();
        return requeued;
    }

    private static SelectOnConditionStep<? extends Record> joined(DSLContext dsl) {
        return dsl.select(MESSAGE.ID, CONTACT.EXTERNAL_ID, CAMPAIGN.KEY, INVITATION.CYCLE, MESSAGE.KIND, MESSAGE.STEP,
                        MESSAGE.CHANNEL, MESSAGE.STATUS, MESSAGE.NOT_BEFORE, MESSAGE.SENT_AT, MESSAGE.PROVIDER_ID,
                        MESSAGE.LAST_ERROR, MESSAGE.ATTEMPTS, MESSAGE.UPDATED_AT)
                .from(MESSAGE)
                .join(INVITATION).on(INVITATION.ID.eq(MESSAGE.INVITATION_ID))
                .join(CONTACT).on(CONTACT.ID.eq(MESSAGE.CONTACT_ID))
                .join(CAMPAIGN).on(CAMPAIGN.ID.eq(INVITATION.CAMPAIGN_ID));
    }

    private static MessageLogEntry entry(Record r) {
        return new MessageLogEntry(r.get(MESSAGE.ID), r.get(CONTACT.EXTERNAL_ID), r.get(CAMPAIGN.KEY),
                r.get(INVITATION.CYCLE), r.get(MESSAGE.KIND), r.get(MESSAGE.STEP), r.get(MESSAGE.CHANNEL),
                r.get(MESSAGE.STATUS), instant(r.get(MESSAGE.NOT_BEFORE)), instant(r.get(MESSAGE.SENT_AT)),
                r.get(MESSAGE.PROVIDER_ID), r.get(MESSAGE.LAST_ERROR), r.get(MESSAGE.ATTEMPTS),
                instant(r.get(MESSAGE.UPDATED_AT)));
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }

    private static OffsetDateTime utc(Instant t) {
        return t.atOffset(ZoneOffset.UTC);
    }
}
