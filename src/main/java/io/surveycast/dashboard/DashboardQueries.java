package io.surveycast.dashboard;

import static io.surveycast.db.Tables.CAMPAIGN;
import static io.surveycast.db.Tables.CONTACT;
import static io.surveycast.db.Tables.INVITATION;
import static io.surveycast.db.Tables.RESPONSE;

import java.time.Instant;
import java.util.List;
import org.jooq.DSLContext;

/** The SQL of the dashboard's own panels (the figures come from the report engine). */
final class DashboardQueries {

    record Comment(long responseId, int score, String comment, String contact, String campaign, Instant at) { }

    List<Comment> latestDetractorComments(DSLContext dsl, int limit) {
        return dsl.select(RESPONSE.ID, RESPONSE.SCORE, RESPONSE.COMMENT, CONTACT.NAME, CONTACT.EXTERNAL_ID, CAMPAIGN.NAME,
                        RESPONSE.RECEIVED_AT)
                .from(RESPONSE)
                .join(INVITATION).on(INVITATION.ID.eq(RESPONSE.INVITATION_ID))
                .join(CONTACT).on(CONTACT.ID.eq(INVITATION.CONTACT_ID))
                .join(CAMPAIGN).on(CAMPAIGN.ID.eq(INVITATION.CAMPAIGN_ID))
                .where(RESPONSE.SCORE.le((short) 6), RESPONSE.COMMENT.isNotNull())
                .orderBy(RESPONSE.RECEIVED_AT.desc(), RESPONSE.ID.desc())
                .limit(limit)
                .fetch(r -> new Comment(r.value1(), r.value2(), r.value3(), r.value4() == null ? r.value5() : r.value4(),
                        r.value6(), r.value7().toInstant()));
    }

    record Suppressed(String contact, String externalId, String channel, String reason, String source, Instant at) { }

    List<Suppressed> suppressions(DSLContext dsl, int limit) {
        return dsl.select(CONTACT.NAME, CONTACT.EXTERNAL_ID, io.surveycast.db.Tables.SUPPRESSION.CHANNEL,
                        io.surveycast.db.Tables.SUPPRESSION.REASON, io.surveycast.db.Tables.SUPPRESSION.SOURCE,
                        io.surveycast.db.Tables.SUPPRESSION.AT)
                .from(io.surveycast.db.Tables.SUPPRESSION)
                .join(CONTACT).on(CONTACT.ID.eq(io.surveycast.db.Tables.SUPPRESSION.CONTACT_ID))
                .orderBy(io.surveycast.db.Tables.SUPPRESSION.AT.desc())
                .limit(limit)
                .fetch(r -> new Suppressed(r.value1(), r.value2(), r.value3(), r.value4(), r.value5(), r.value6().toInstant()));
    }
}
