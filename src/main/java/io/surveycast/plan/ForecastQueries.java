package io.surveycast.plan;

import static io.surveycast.db.Tables.INVITATION;
import static io.surveycast.db.Tables.MESSAGE;
import static org.jooq.impl.DSL.count;
import static org.jooq.impl.DSL.field;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;
import org.jooq.DSLContext;
import org.jooq.Field;

/** Reads back, per UTC day, the messages and skips that planning produced in a period. */
final class ForecastQueries {
    /** When a message goes out: when the forecast sent it, or its planned time. */
    private static final Field<java.time.OffsetDateTime> GOES_AT =
            org.jooq.impl.DSL.coalesce(MESSAGE.SENT_AT, MESSAGE.NOT_BEFORE);
    private static final Field<LocalDate> MESSAGE_DAY =
            field("cast({0} at time zone 'UTC' as date)", LocalDate.class, GOES_AT);
    private static final Field<LocalDate> SKIP_DAY =
            field("cast({0} at time zone 'UTC' as date)", LocalDate.class, INVITATION.PLANNED_AT);

    /**
     * Marks the messages due at {@code at} sent at their planned time (at the forecast's start
     * {@code from} when they were overdue then), as the dispatcher would send them, in the
     * forecast's rolled-back transaction.
     */
    void sendDue(DSLContext tx, Instant from, Instant at) {
        var now = at.atOffset(ZoneOffset.UTC);
        tx.update(MESSAGE)
                .set(MESSAGE.STATUS, "sent")
                .set(MESSAGE.SENT_AT, org.jooq.impl.DSL.greatest(MESSAGE.NOT_BEFORE,
                        org.jooq.impl.DSL.val(from.atOffset(ZoneOffset.UTC))))
                .set(MESSAGE.UPDATED_AT, now)
                // inlined, so that a generic plan (the replay runs this once a day) keeps to the partial index
                // message_claim, as the dispatcher's claim does
                .where(MESSAGE.STATUS.eq(org.jooq.impl.DSL.inline("queued")), MESSAGE.CHANNEL.in("email", "sms"),
                        MESSAGE.NOT_BEFORE.le(now))
                .execute();
    }

    Map<LocalDate, PlanCounts> byDay(DSLContext tx, Instant from, Instant to, String campaignKey) {
        org.jooq.Condition ofCampaign = campaignKey == null ? org.jooq.impl.DSL.trueCondition()
                : INVITATION.CAMPAIGN_ID.in(tx.select(io.surveycast.db.Tables.CAMPAIGN.ID).from(io.surveycast.db.Tables.CAMPAIGN)
                        .where(io.surveycast.db.Tables.CAMPAIGN.KEY.eq(campaignKey)));
        Map<LocalDate, PlanCounts> days = new TreeMap<>();
        for (LocalDate d = from.atOffset(ZoneOffset.UTC).toLocalDate(); d.isBefore(to.atOffset(ZoneOffset.UTC).toLocalDate()); d = d.plusDays(1)) {
            days.put(d, new PlanCounts());
        }
        var messages = tx.select(MESSAGE_DAY, MESSAGE.KIND, MESSAGE.CHANNEL, count())
                .from(MESSAGE)
                .join(INVITATION).on(INVITATION.ID.eq(MESSAGE.INVITATION_ID))
                .where(MESSAGE.STATUS.in("queued", "sent", "delivered"), MESSAGE.CHANNEL.in("email", "sms"), ofCampaign)
                .and(GOES_AT.ge(from.atOffset(ZoneOffset.UTC)))
                .and(GOES_AT.lt(to.atOffset(ZoneOffset.UTC)))
                .groupBy(MESSAGE_DAY, MESSAGE.KIND, MESSAGE.CHANNEL)
                .fetch();
        for (var r : messages) {
            PlanCounts day = days.computeIfAbsent(r.value1(), d -> new PlanCounts());
            if (r.value2().equals("invite")) {
                day.addInvite(r.value3(), r.value4());
            } else {
                day.addReminder(r.value3(), r.value4());
            }
        }
        var skips = tx.select(SKIP_DAY, INVITATION.SKIP_REASON, count())
                .from(INVITATION)
                .where(INVITATION.STATUS.eq("skipped"), ofCampaign)
                .and(INVITATION.PLANNED_AT.ge(from.atOffset(ZoneOffset.UTC)))
                .and(INVITATION.PLANNED_AT.lt(to.atOffset(ZoneOffset.UTC)))
                .groupBy(SKIP_DAY, INVITATION.SKIP_REASON)
                .fetch();
        for (var r : skips) {
            days.computeIfAbsent(r.value1(), d -> new PlanCounts()).addSkip(r.value2(), r.value3());
        }
        return days;
    }
}
