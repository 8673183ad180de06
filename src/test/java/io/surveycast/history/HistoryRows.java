package io.surveycast.history;

import static io.surveycast.db.Tables.CAMPAIGN;
import static io.surveycast.db.Tables.INVITATION;
import static io.surveycast.db.Tables.MESSAGE;
import static io.surveycast.db.Tables.RESPONSE;
import static io.surveycast.db.Tables.RESPONSE_HISTORY;

import io.surveycast.support.ApiServer;
import java.time.OffsetDateTime;
import org.jooq.DSLContext;

/** Raw rows as the planner, the dispatcher and the survey page write them, for the history tests. */
final class HistoryRows {
    private final DSLContext dsl;
    private int cycles;

    HistoryRows(DSLContext dsl) {
        this.dsl = dsl;
    }

    /** An invitation of its own cycle; sent at {@code sentAt} unless that is null (then planned for {@code at}). */
    long invitation(String campaign, String externalId, String status, String at, boolean sent, String skip, String defer) {
        OffsetDateTime when = OffsetDateTime.parse(at);
        long campaignId = dsl.select(CAMPAIGN.ID).from(CAMPAIGN).where(CAMPAIGN.KEY.eq(campaign)).fetchSingle().value1();
        return dsl.insertInto(INVITATION).set(INVITATION.CAMPAIGN_ID, campaignId)
                .set(INVITATION.CONTACT_ID, ApiServer.contact(dsl, externalId))
                .set(INVITATION.CYCLE, "event:h" + (++cycles)).set(INVITATION.CHANNEL, skip == null ? "email" : null)
                .set(INVITATION.STATUS, status).set(INVITATION.SKIP_REASON, skip).set(INVITATION.DEFER_REASON, defer)
                .set(INVITATION.TRIGGER_AT, when.minusDays(1)).set(INVITATION.PLANNED_AT, when.minusDays(1))
                .set(INVITATION.INVITE_AT, skip == null ? when : null).set(INVITATION.SENT_AT, sent ? when : null)
                .returning(INVITATION.ID).fetchOne(INVITATION.ID);
    }

    /** An answer to a new invitation sent five hours before, with its row in response_history. */
    long answer(String campaign, String externalId, int score, String comment, String receivedAt) {
        OffsetDateTime at = OffsetDateTime.parse(receivedAt);
        long invitation = invitation(campaign, externalId, "responded", at.minusHours(5).toString(), true, null, null);
        long id = dsl.insertInto(RESPONSE).set(RESPONSE.INVITATION_ID, invitation).set(RESPONSE.SCORE, (short) score)
                .set(RESPONSE.COMMENT, comment).set(RESPONSE.CHANNEL, "web").set(RESPONSE.RECEIVED_AT, at)
                .set(RESPONSE.UPDATED_AT, at).returning(RESPONSE.ID).fetchOne(RESPONSE.ID);
        given(id, score, comment, receivedAt);
        return id;
    }

    void given(long responseId, int score, String comment, String at) {
        dsl.insertInto(RESPONSE_HISTORY).set(RESPONSE_HISTORY.RESPONSE_ID, responseId).set(RESPONSE_HISTORY.SCORE, (short) score)
                .set(RESPONSE_HISTORY.COMMENT, comment).set(RESPONSE_HISTORY.CHANNEL, "web")
                .set(RESPONSE_HISTORY.AT, OffsetDateTime.parse(at)).execute();
    }

    long invitationOf(long responseId) {
        return dsl.select(RESPONSE.INVITATION_ID).from(RESPONSE).where(RESPONSE.ID.eq(responseId)).fetchSingle().value1();
    }

    void message(long invitation, String externalId, String kind, int step, String status, String at, String error) {
        OffsetDateTime when = OffsetDateTime.parse(at);
        dsl.insertInto(MESSAGE).set(MESSAGE.INVITATION_ID, invitation).set(MESSAGE.CONTACT_ID, ApiServer.contact(dsl, externalId))
                .set(MESSAGE.KIND, kind).set(MESSAGE.STEP, step).set(MESSAGE.CHANNEL, "email").set(MESSAGE.STATUS, status)
                .set(MESSAGE.NOT_BEFORE, when).set(MESSAGE.SENT_AT, status.equals("sent") ? when : null)
                .set(MESSAGE.LAST_ERROR, error).set(MESSAGE.CREATED_AT, when).set(MESSAGE.UPDATED_AT, when).execute();
    }
}
