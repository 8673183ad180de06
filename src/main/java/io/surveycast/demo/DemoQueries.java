package io.surveycast.demo;

import static io.surveycast.db.Tables.CAMPAIGN;
import static io.surveycast.db.Tables.CONTACT;
import static io.surveycast.db.Tables.INVITATION;
import static io.surveycast.db.Tables.MESSAGE;
import static io.surveycast.db.Tables.RESPONSE;
import static io.surveycast.db.Tables.RESPONSE_HISTORY;
import static io.surveycast.db.Tables.SUPPRESSION;

import io.surveycast.consent.Suppressions;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;
import org.jooq.Record5;

/** The SQL of seeding the demo company's history. */
final class DemoQueries {

    boolean seeded(DSLContext dsl) {
        return dsl.fetchExists(INVITATION);
    }

    Map<String, Long> campaigns(DSLContext dsl) {
        return dsl.select(CAMPAIGN.KEY, CAMPAIGN.ID).from(CAMPAIGN).fetchMap(CAMPAIGN.KEY, CAMPAIGN.ID);
    }

    /** A campaign's definition as stored. */
    String definition(DSLContext dsl, String key) {
        return dsl.select(CAMPAIGN.DEFINITION).from(CAMPAIGN).where(CAMPAIGN.KEY.eq(key)).fetchSingle().value1().data();
    }

    /**
     * External ids of free-plan contacts not surveyed since {@code since}, fewer than three times in
     * the year before, never suppressed (fatigue lets them be asked now, and no renewal survey looks
     * ahead at them): reachable by email, or by phone only, a few per time zone.
     */
    List<String> restedContacts(DSLContext dsl, OffsetDateTime since, boolean phoneOnly, int perZone) {
        var rank = org.jooq.impl.DSL.rowNumber().over().partitionBy(CONTACT.TIMEZONE).orderBy(CONTACT.ID).as("rank");
        var candidates = dsl.select(CONTACT.EXTERNAL_ID, rank).from(CONTACT)
                .where(org.jooq.impl.DSL.field("{0} ->> 'plan'", String.class, CONTACT.ATTRIBUTES).eq("free"))
                .and(phoneOnly ? CONTACT.EMAIL.isNull().and(CONTACT.PHONE.isNotNull()) : CONTACT.EMAIL.isNotNull())
                .andNotExists(org.jooq.impl.DSL.selectOne().from(INVITATION)
                        .where(INVITATION.CONTACT_ID.eq(CONTACT.ID)).and(INVITATION.INVITE_AT.ge(since)))
                .andNotExists(org.jooq.impl.DSL.selectOne().from(SUPPRESSION).where(SUPPRESSION.CONTACT_ID.eq(CONTACT.ID)))
                .and(org.jooq.impl.DSL.selectCount().from(INVITATION).where(INVITATION.CONTACT_ID.eq(CONTACT.ID))
                        .and(INVITATION.INVITE_AT.ge(since.minusDays(265))).asField().lt(3))
                .asTable("candidates");
        return dsl.select(candidates.field(CONTACT.EXTERNAL_ID)).from(candidates)
                .where(candidates.field("rank", Integer.class).le(perZone))
                .orderBy(candidates.field(CONTACT.EXTERNAL_ID)).fetch(candidates.field(CONTACT.EXTERNAL_ID));
    }

    /** id, email, phone, onboarded_at, plan of every contact. */
    List<Record5<Long, String, String, OffsetDateTime, String>> contacts(DSLContext dsl) {
        return dsl.select(CONTACT.ID, CONTACT.EMAIL, CONTACT.PHONE, CONTACT.ONBOARDED_AT,
                        org.jooq.impl.DSL.field("{0} ->> 'plan'", String.class, CONTACT.ATTRIBUTES))
                .from(CONTACT).orderBy(CONTACT.ID).fetch();
    }

    long invitation(DSLContext dsl, long campaign, long contact, String cycle, String channel, String status,
                    OffsetDateTime sentAt, OffsetDateTime respondedAt, int expiresAfterDays) {
        return dsl.insertInto(INVITATION)
                .set(INVITATION.CAMPAIGN_ID, campaign)
                .set(INVITATION.CONTACT_ID, contact)
                .set(INVITATION.CYCLE, cycle)
                .set(INVITATION.CHANNEL, channel)
                .set(INVITATION.TOKEN, org.jooq.impl.DSL.field(
                        "translate(encode(uuid_send(gen_random_uuid()), 'base64'), '+/=', '-_')", String.class))
                .set(INVITATION.STATUS, status)
                .set(INVITATION.TRIGGER_AT, sentAt.minusHours(1))
                .set(INVITATION.PLANNED_AT, sentAt.minusHours(1))
                .set(INVITATION.INVITE_AT, sentAt)
                .set(INVITATION.EXPIRES_AT, sentAt.plusDays(expiresAfterDays))
                .set(INVITATION.SENT_AT, status.equals("failed") ? null : sentAt)
                .set(INVITATION.RESPONDED_AT, respondedAt)
                .returning(INVITATION.ID).fetchOne(INVITATION.ID);
    }

    void message(DSLContext dsl, long invitation, long contact, int step, String channel, String status,
                 OffsetDateTime at, String error) {
        dsl.insertInto(MESSAGE)
                .set(MESSAGE.INVITATION_ID, invitation)
                .set(MESSAGE.CONTACT_ID, contact)
                .set(MESSAGE.KIND, step == 0 ? "invite" : "reminder")
                .set(MESSAGE.STEP, step)
                .set(MESSAGE.CHANNEL, channel)
                .set(MESSAGE.STATUS, status)
                .set(MESSAGE.NOT_BEFORE, at)
                .set(MESSAGE.ATTEMPTS, 1)
                .set(MESSAGE.SENT_AT, status.equals("failed") ? null : at)
                .set(MESSAGE.LAST_ERROR, error)
                .set(MESSAGE.CREATED_AT, at.minusHours(1))
                .set(MESSAGE.UPDATED_AT, at)
                .execute();
    }

    void response(DSLContext dsl, long invitation, int score, String comment, String channel, OffsetDateTime at) {
        long id = dsl.insertInto(RESPONSE)
                .set(RESPONSE.INVITATION_ID, invitation)
                .set(RESPONSE.SCORE, (short) score)
                .set(RESPONSE.COMMENT, comment)
                .set(RESPONSE.CHANNEL, channel)
                .set(RESPONSE.RECEIVED_AT, at)
                .set(RESPONSE.UPDATED_AT, at)
                .returning(RESPONSE.ID).fetchOne(RESPONSE.ID);
        dsl.insertInto(RESPONSE_HISTORY)
                .set(RESPONSE_HISTORY.RESPONSE_ID, id)
                .set(RESPONSE_HISTORY.SCORE, (short) score)
                .set(RESPONSE_HISTORY.COMMENT, comment)
                .set(RESPONSE_HISTORY.CHANNEL, channel)
                .set(RESPONSE_HISTORY.AT, at)
                .execute();
    }

    void suppress(DSLContext dsl, long contact, String channel, String reason, String source, OffsetDateTime at) {
        Suppressions.suppress(dsl, contact, channel, reason, source, at.toInstant());
    }
}
