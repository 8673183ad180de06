package io.surveycast.dashboard;

import static io.surveycast.db.Tables.CAMPAIGN;
import static io.surveycast.db.Tables.CONTACT;
import static io.surveycast.db.Tables.INVITATION;
import static io.surveycast.db.Tables.RESPONSE;

import io.surveycast.report.SegmentFilter;
import java.time.Instant;
import java.util.List;
import org.jooq.DSLContext;

/** The SQL of the dashboard's own panels (the figures come from the report engine). */
final class DashboardQueries {

    record Comment(long responseId, int score, String comment, String contact, String campaign, Instant at) { }

    /** The latest comments of detractors (0-6) among the contacts of {@code segment}, newest first. */
    List<Comment> latestDetractorComments(DSLContext dsl, SegmentFilter segment, int limit) {
        return dsl.select(RESPONSE.ID, RESPONSE.SCORE, RESPONSE.COMMENT, CONTACT.NAME, CONTACT.EXTERNAL_ID, CAMPAIGN.NAME,
                        RESPONSE.RECEIVED_AT)
                .from(RESPONSE)
                .join(INVITATION).on(INVITATION.ID.eq(RESPONSE.INVITATION_ID))
                .join(CONTACT).on(CONTACT.ID.eq(INVITATION.CONTACT_ID))
                .join(CAMPAIGN).on(CAMPAIGN.ID.eq(INVITATION.CAMPAIGN_ID))
                .where(RESPONSE.SCORE.le((short) 6), RESPONSE.COMMENT.isNotNull(), segment.matches(CONTACT.ATTRIBUTES))
                .orderBy(RESPONSE.RECEIVED_AT.desc(), RESPONSE.ID.desc())
                .limit(limit)
                .fetch(r -> new Comment(r.value1(), r.value2(), r.value3(), r.value4() == null ? r.value5() : r.value4(),
                        r.value6(), r.value7().toInstant()));
    }

    record Suppressed(String contact, String externalId, String channel, String reason, String source, Instant at) { }

    /**
     * Newest first, {@code limit} from {@code offset}; {@code text} (optional) finds a contact by
     * name, external id, email or phone, any case, as typed (no wildcards).
     */
    List<Suppressed> suppressions(DSLContext dsl, String text, int offset, int limit) {
        var s = io.surveycast.db.Tables.SUPPRESSION;
        org.jooq.Condition matches = text == null ? org.jooq.impl.DSL.noCondition()
                : CONTACT.NAME.containsIgnoreCase(text).or(CONTACT.EXTERNAL_ID.containsIgnoreCase(text))
                        .or(CONTACT.EMAIL.containsIgnoreCase(text)).or(CONTACT.PHONE.contains(text));
        return dsl.select(CONTACT.NAME, CONTACT.EXTERNAL_ID, s.CHANNEL, s.REASON, s.SOURCE, s.AT)
                .from(s)
                .join(CONTACT).on(CONTACT.ID.eq(s.CONTACT_ID))
                .where(matches)
                .orderBy(s.AT.desc(), s.CONTACT_ID, s.CHANNEL)
                .offset(offset)
                .limit(limit)
                .fetch(r -> new Suppressed(r.value1(), r.value2(), r.value3(), r.value4(), r.value5(), r.value6().toInstant()));
    }
}
