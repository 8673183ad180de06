package io.surveycast.followup;

import static io.surveycast.db.Tables.CAMPAIGN;
import static io.surveycast.db.Tables.CASE_NOTE;
import static io.surveycast.db.Tables.CASE_QUEUE;
import static io.surveycast.db.Tables.CONTACT;
import static io.surveycast.db.Tables.FOLLOW_UP_CASE;
import static io.surveycast.db.Tables.INVITATION;
import static io.surveycast.db.Tables.RESPONSE;

import io.surveycast.campaign.CampaignDefinition;
import io.surveycast.response.NotificationOutbox;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.SelectJoinStep;
import org.jooq.impl.DSL;

/** The SQL of follow-up cases: the queue of answers to apply the rules to, the cases, their notes. */
final class CaseQueries {

    /** An answer as the case rules see it. */
    record Answer(long responseId, Long invitationId, long contactId, long campaignId, CampaignDefinition campaign,
                  String category, Instant answeredAt, String ownerEmail) { }

    /** A case's state as the rules change it. */
    record State(long id, String category, String status, String closeReason) { }

    /** {@code waiting}: wait for answers another node is handling instead of skipping them. */
    List<Long> claimQueued(DSLContext tx, int limit, boolean waiting) {
        var select = tx.select(CASE_QUEUE.RESPONSE_ID).from(CASE_QUEUE)
                .orderBy(CASE_QUEUE.QUEUED_AT, CASE_QUEUE.RESPONSE_ID)
                .limit(limit)
                .forUpdate();
        return (waiting ? select : select.skipLocked()).fetch(CASE_QUEUE.RESPONSE_ID);
    }

    void dequeue(DSLContext tx, long responseId) {
        tx.deleteFrom(CASE_QUEUE).where(CASE_QUEUE.RESPONSE_ID.eq(responseId)).execute();
    }

    Optional<Answer> answer(DSLContext tx, long responseId) {
        return tx.select(RESPONSE.ID, RESPONSE.INVITATION_ID, INVITATION.CONTACT_ID, CAMPAIGN.ID,
                        CAMPAIGN.DEFINITION.cast(String.class).as("definition"), RESPONSE.CATEGORY, RESPONSE.UPDATED_AT,
                        DSL.jsonbGetAttributeAsText(CONTACT.ATTRIBUTES, "owner_email").as("owner_email"))
                .from(RESPONSE)
                .join(INVITATION).on(INVITATION.ID.eq(RESPONSE.INVITATION_ID))
                .join(CONTACT).on(CONTACT.ID.eq(INVITATION.CONTACT_ID))
                .join(CAMPAIGN).on(CAMPAIGN.ID.eq(INVITATION.CAMPAIGN_ID))
                .where(RESPONSE.ID.eq(responseId))
                .fetchOptional(r -> new Answer(r.get(RESPONSE.ID), r.get(RESPONSE.INVITATION_ID), r.get(INVITATION.CONTACT_ID),
                        r.get(CAMPAIGN.ID), CampaignDefinition.stored(r.get("definition", String.class)), r.get(RESPONSE.CATEGORY),
                        r.get(RESPONSE.UPDATED_AT).toInstant(), r.get("owner_email", String.class)));
    }

    Optional<State> stateForUpdate(DSLContext tx, long responseId) {
        return tx.select(FOLLOW_UP_CASE.ID, FOLLOW_UP_CASE.CATEGORY, FOLLOW_UP_CASE.STATUS, FOLLOW_UP_CASE.CLOSE_REASON)
                .from(FOLLOW_UP_CASE).where(FOLLOW_UP_CASE.RESPONSE_ID.eq(responseId))
                .forUpdate()
                .fetchOptional(r -> new State(r.get(FOLLOW_UP_CASE.ID), r.get(FOLLOW_UP_CASE.CATEGORY),
                        r.get(FOLLOW_UP_CASE.STATUS), r.get(FOLLOW_UP_CASE.CLOSE_REASON)));
    }

    /** The new case's id, or empty when the response has one already. */
    Optional<Long> open(DSLContext tx, Answer answer, String owner, Instant due) {
        return tx.insertInto(FOLLOW_UP_CASE)
                .set(FOLLOW_UP_CASE.RESPONSE_ID, answer.responseId())
                .set(FOLLOW_UP_CASE.INVITATION_ID, answer.invitationId())
                .set(FOLLOW_UP_CASE.CONTACT_ID, answer.contactId())
                .set(FOLLOW_UP_CASE.CAMPAIGN_ID, answer.campaignId())
                .set(FOLLOW_UP_CASE.CATEGORY, answer.category())
                .set(FOLLOW_UP_CASE.OWNER, owner)
                .set(FOLLOW_UP_CASE.STATUS, "open")
                .set(FOLLOW_UP_CASE.OPENED_AT, utc(answer.answeredAt()))
                .set(FOLLOW_UP_CASE.DUE_AT, utc(due))
                .set(FOLLOW_UP_CASE.UPDATED_AT, utc(answer.answeredAt()))
                .onConflict(FOLLOW_UP_CASE.RESPONSE_ID).doNothing()
                .returning(FOLLOW_UP_CASE.ID)
                .fetchOptional(FOLLOW_UP_CASE.ID);
    }

    /** The case follows the answer into another category that opens a case: open again if closed. */
    void move(DSLContext tx, long id, String category, Instant due, boolean reopen, Instant at) {
        var update = tx.update(FOLLOW_UP_CASE)
                .set(FOLLOW_UP_CASE.CATEGORY, category)
                .set(FOLLOW_UP_CASE.DUE_AT, utc(due))
                .set(FOLLOW_UP_CASE.OVERDUE_AT, DSL.when(FOLLOW_UP_CASE.OVERDUE_AT.le(utc(due)).and(DSL.val(!reopen)),
                        FOLLOW_UP_CASE.OVERDUE_AT).otherwise(DSL.castNull(FOLLOW_UP_CASE.OVERDUE_AT)))
                .set(FOLLOW_UP_CASE.UPDATED_AT, utc(at));
        if (reopen) {
            update.set(FOLLOW_UP_CASE.STATUS, "open")
                    .set(FOLLOW_UP_CASE.OPENED_AT, utc(at))
                    .set(FOLLOW_UP_CASE.CLOSED_AT, DSL.castNull(FOLLOW_UP_CASE.CLOSED_AT))
                    .set(FOLLOW_UP_CASE.CLOSE_REASON, DSL.castNull(FOLLOW_UP_CASE.CLOSE_REASON));
        }
        update.where(FOLLOW_UP_CASE.ID.eq(id)).execute();
    }

    /** Closes a case not closed yet; false when it was closed already. */
    boolean close(DSLContext tx, long id, String reason, Instant at, boolean firstAction) {
        var update = tx.update(FOLLOW_UP_CASE)
                .set(FOLLOW_UP_CASE.STATUS, "closed")
                .set(FOLLOW_UP_CASE.CLOSED_AT, utc(at))
                .set(FOLLOW_UP_CASE.CLOSE_REASON, reason)
                .set(FOLLOW_UP_CASE.UPDATED_AT, utc(at));
        if (firstAction) {
            update.set(FOLLOW_UP_CASE.FIRST_ACTION_AT, DSL.coalesce(FOLLOW_UP_CASE.FIRST_ACTION_AT, DSL.val(utc(at))));
        }
        return update.where(FOLLOW_UP_CASE.ID.eq(id), FOLLOW_UP_CASE.STATUS.ne("closed")).execute() == 1;
    }

    /** A person's action on a case: {@code owner} and {@code status} null to keep them. */
    void act(DSLContext tx, long id, String owner, boolean setOwner, String status, Instant at) {
        var update = tx.update(FOLLOW_UP_CASE)
                .set(FOLLOW_UP_CASE.FIRST_ACTION_AT, DSL.coalesce(FOLLOW_UP_CASE.FIRST_ACTION_AT, DSL.val(utc(at))))
                .set(FOLLOW_UP_CASE.UPDATED_AT, utc(at));
        if (setOwner) {
            update.set(FOLLOW_UP_CASE.OWNER, owner);
        }
        if (status != null) {
            update.set(FOLLOW_UP_CASE.STATUS, status)
                    .set(FOLLOW_UP_CASE.CLOSED_AT, DSL.castNull(FOLLOW_UP_CASE.CLOSED_AT))
                    .set(FOLLOW_UP_CASE.CLOSE_REASON, DSL.castNull(FOLLOW_UP_CASE.CLOSE_REASON));
        }
        update.where(FOLLOW_UP_CASE.ID.eq(id)).execute();
    }

    void addNote(DSLContext tx, long id, String author, String text, Instant at) {
        tx.insertInto(CASE_NOTE)
                .set(CASE_NOTE.CASE_ID, id)
                .set(CASE_NOTE.AUTHOR, author)
                .set(CASE_NOTE.AT, utc(at))
                .set(CASE_NOTE.TEXT, text)
                .execute();
    }

    /** Cases open at {@code now} past their due time and not escalated yet, locked for escalating them. */
    List<Long> dueForEscalation(DSLContext tx, Instant now, int limit) {
        return tx.select(FOLLOW_UP_CASE.ID).from(FOLLOW_UP_CASE)
                // inlined, so that a generic plan can use the partial index follow_up_case_due (see OutboxQueries.claim)
                .where(FOLLOW_UP_CASE.STATUS.ne(DSL.inline("closed")), FOLLOW_UP_CASE.DUE_AT.le(utc(now)), FOLLOW_UP_CASE.OVERDUE_AT.isNull())
                .orderBy(FOLLOW_UP_CASE.DUE_AT, FOLLOW_UP_CASE.ID)
                .limit(limit)
                .forUpdate().skipLocked()
                .fetch(FOLLOW_UP_CASE.ID);
    }

    void markOverdue(DSLContext tx, long id, Instant now) {
        tx.update(FOLLOW_UP_CASE).set(FOLLOW_UP_CASE.OVERDUE_AT, utc(now)).where(FOLLOW_UP_CASE.ID.eq(id)).execute();
    }

    CampaignDefinition campaign(DSLContext tx, long caseId) {
        var definition = CAMPAIGN.DEFINITION.cast(String.class).as("definition");
        return tx.select(definition).from(FOLLOW_UP_CASE).join(CAMPAIGN).on(CAMPAIGN.ID.eq(FOLLOW_UP_CASE.CAMPAIGN_ID))
                .where(FOLLOW_UP_CASE.ID.eq(caseId))
                .fetchOne(r -> CampaignDefinition.stored(r.get(definition)));
    }

    Optional<FollowUpCase> find(DSLContext dsl, long id, boolean lock) {
        var select = cases(dsl).where(FOLLOW_UP_CASE.ID.eq(id));
        List<FollowUpCase> found = lock ? select.forUpdate().of(FOLLOW_UP_CASE).fetch(CaseQueries::row) : select.fetch(CaseQueries::row);
        return withNotes(dsl, found).stream().findFirst();
    }

    List<FollowUpCase> list(DSLContext dsl, CaseFilter filter, Instant now) {
        List<Condition> where = new ArrayList<>();
        if (filter.status() == null) {
            where.add(FOLLOW_UP_CASE.STATUS.ne("closed"));
        } else if (!filter.status().equals("all")) {
            where.add(FOLLOW_UP_CASE.STATUS.eq(filter.status()));
        }
        if (filter.owner() != null) {
            where.add(filter.owner().equals("-") ? FOLLOW_UP_CASE.OWNER.isNull() : FOLLOW_UP_CASE.OWNER.eq(filter.owner()));
        }
        if (filter.campaign() != null) {
            where.add(CAMPAIGN.KEY.eq(filter.campaign()));
        }
        if (filter.category() != null) {
            where.add(FOLLOW_UP_CASE.CATEGORY.eq(filter.category()));
        }
        if (filter.overdue()) {
            where.add(FOLLOW_UP_CASE.STATUS.ne("closed"));
            where.add(FOLLOW_UP_CASE.DUE_AT.le(utc(now)));
        }
        var select = cases(dsl).where(where);
        List<FollowUpCase> rows = filter.onlyOpen()
                // overdue (due_at <= now) come first in due order anyway: the partial index gives the order
                ? select.orderBy(FOLLOW_UP_CASE.DUE_AT, FOLLOW_UP_CASE.ID).limit(filter.limit()).fetch(CaseQueries::row)
                : select.orderBy(DSL.when(FOLLOW_UP_CASE.STATUS.ne("closed").and(FOLLOW_UP_CASE.DUE_AT.le(utc(now))), 0)
                                .otherwise(1), FOLLOW_UP_CASE.DUE_AT, FOLLOW_UP_CASE.ID)
                        .limit(filter.limit()).fetch(CaseQueries::row);
        return withNotes(dsl, rows);
    }

    private SelectJoinStep<Record> cases(DSLContext dsl) {
        return dsl.select(FOLLOW_UP_CASE.fields())
                .select(RESPONSE.SCORE, RESPONSE.COMMENT, CONTACT.EXTERNAL_ID, CONTACT.NAME, CAMPAIGN.KEY, CAMPAIGN.NAME)
                .from(FOLLOW_UP_CASE)
                .join(RESPONSE).on(RESPONSE.ID.eq(FOLLOW_UP_CASE.RESPONSE_ID))
                .join(CONTACT).on(CONTACT.ID.eq(FOLLOW_UP_CASE.CONTACT_ID))
                .join(CAMPAIGN).on(CAMPAIGN.ID.eq(FOLLOW_UP_CASE.CAMPAIGN_ID));
    }

    private static FollowUpCase row(Record r) {
        return new FollowUpCase(r.get(FOLLOW_UP_CASE.ID), r.get(FOLLOW_UP_CASE.RESPONSE_ID), r.get(FOLLOW_UP_CASE.CONTACT_ID),
                r.get(CONTACT.EXTERNAL_ID), r.get(CONTACT.NAME), r.get(CAMPAIGN.KEY), r.get(CAMPAIGN.NAME),
                r.get(FOLLOW_UP_CASE.CATEGORY), r.get(RESPONSE.SCORE), r.get(RESPONSE.COMMENT), r.get(FOLLOW_UP_CASE.OWNER),
                r.get(FOLLOW_UP_CASE.STATUS), instant(r.get(FOLLOW_UP_CASE.OPENED_AT)), instant(r.get(FOLLOW_UP_CASE.DUE_AT)),
                instant(r.get(FOLLOW_UP_CASE.FIRST_ACTION_AT)), instant(r.get(FOLLOW_UP_CASE.CLOSED_AT)),
                r.get(FOLLOW_UP_CASE.CLOSE_REASON), instant(r.get(FOLLOW_UP_CASE.OVERDUE_AT)), List.of());
    }

    private List<FollowUpCase> withNotes(DSLContext dsl, List<FollowUpCase> cases) {
        if (cases.isEmpty()) {
            return cases;
        }
        Collection<Long> ids = cases.stream().map(FollowUpCase::id).toList();
        Map<Long, List<CaseNote>> notes = new LinkedHashMap<>();
        dsl.select(CASE_NOTE.CASE_ID, CASE_NOTE.AUTHOR, CASE_NOTE.AT, CASE_NOTE.TEXT).from(CASE_NOTE)
                .where(CASE_NOTE.CASE_ID.in(ids))
                .orderBy(CASE_NOTE.AT, CASE_NOTE.ID)
                .forEach(r -> notes.computeIfAbsent(r.get(CASE_NOTE.CASE_ID), k -> new ArrayList<>())
                        .add(new CaseNote(r.get(CASE_NOTE.AUTHOR), r.get(CASE_NOTE.AT).toInstant(), r.get(CASE_NOTE.TEXT))));
        return cases.stream().map(c -> c.withNotes(notes.getOrDefault(c.id(), List.of()))).toList();
    }

    void notify(DSLContext tx, long responseId, String kind, String event, String target, String payload, Instant at) {
        NotificationOutbox.queue(tx, responseId, kind, event, target, payload, at, at).execute();
    }

    /**
     * Runs {@code batch} in a transaction of its own again and again until it handles nothing (it
     * returns how many it handled); returns how many it handled in all.
     */
    static int inBatches(DSLContext dsl, java.util.function.ToIntFunction<DSLContext> batch) {
        int handled = 0;
        int n;
        do {
            n = dsl.transactionResult(tx -> batch.applyAsInt(tx.dsl()));
            handled += n;
        } while (n > 0);
        return handled;
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(OffsetDateTime at) {
        return at == null ? null : at.toInstant();
    }
}
