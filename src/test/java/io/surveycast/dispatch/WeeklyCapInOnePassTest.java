package io.surveycast.dispatch;

import static io.surveycast.db.Tables.INVITATION;
import static io.surveycast.db.Tables.MESSAGE;
import static org.assertj.core.api.Assertions.assertThat;

import io.surveycast.campaign.FatiguePolicy;
import io.surveycast.plan.Planner;
import io.surveycast.schedule.DueRunner;
import io.surveycast.support.Fixtures;
import io.surveycast.support.FreshDatabase;
import io.surveycast.support.SendingNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 19.3: the weekly message cap holds by construction within one dispatch pass. A contact
 * with two messages sent in the last days has two more due at the same instant (planted past the
 * planner, which keeps them apart itself): one pass of the dispatcher sends only one of them,
 * whether they are in the same batch (one channel) or in batches of both channels at once.
 */
class WeeklyCapInOnePassTest {
    static final Instant T = Instant.parse("2027-03-02T20:00:00Z"); // 12:00 in Los Angeles
    static final Clock CLOCK = Clock.fixed(T.minus(Duration.ofDays(2)), ZoneOffset.UTC);

    @RegisterExtension
    final FreshDatabase db = new FreshDatabase();

    @ParameterizedTest
    @ValueSource(strings = {"email", "sms"})
    void twoDueMessagesToOneContactInOnePassRespectTheCap(String secondChannel) throws Exception {
        Fixtures.contacts(db.dsl(), CLOCK, """
                external_id,email,phone,timezone,onboarded_at
                x,x@example.com,+14155550101,America/Los_Angeles,2027-03-01T12:00:00Z
                """);
        Fixtures.campaign(db.dsl(), CLOCK, """
                key: welcome
                name: Welcome
                trigger: {type: onboarding, offset: P1D}
                channels: [email, sms]
                question: How likely?
                templates: {email: nps-invite, sms: nps-invite}
                reminders:
                  - {after: P1D, channel: email}
                  - {after: P2D, channel: sms}
                expires-after: P14D
                """);
        new DueRunner(db.dsl(), new Planner(FatiguePolicy.DEFAULT)).runAt(T);
        var invitation = db.dsl().selectFrom(INVITATION).fetchSingle();
        assertThat(invitation.getChannel()).isEqualTo("email");
        OffsetDateTime at = T.atOffset(ZoneOffset.UTC);
        // two messages sent in the last days (of an older survey), and a second due message now
        for (int step = 1; step <= 2; step++) {
            db.dsl().insertInto(MESSAGE).set(MESSAGE.INVITATION_ID, invitation.getId() + 1000)
                    .set(MESSAGE.CONTACT_ID, invitation.getContactId()).set(MESSAGE.KIND, "reminder")
                    .set(MESSAGE.STEP, step).set(MESSAGE.CHANNEL, "email").set(MESSAGE.STATUS, "sent")
                    .set(MESSAGE.NOT_BEFORE, at.minusDays(3)).set(MESSAGE.SENT_AT, at.minusDays(3).plusHours(step))
                    .set(MESSAGE.CREATED_AT, at.minusDays(3)).set(MESSAGE.UPDATED_AT, at.minusDays(3)).execute();
        }
        db.dsl().insertInto(MESSAGE).set(MESSAGE.INVITATION_ID, invitation.getId())
                .set(MESSAGE.CONTACT_ID, invitation.getContactId()).set(MESSAGE.KIND, "reminder")
                .set(MESSAGE.STEP, secondChannel.equals("email") ? 1 : 2).set(MESSAGE.CHANNEL, secondChannel)
                .set(MESSAGE.STATUS, "queued").set(MESSAGE.NOT_BEFORE, at.minusMinutes(1))
                .set(MESSAGE.CREATED_AT, at).set(MESSAGE.UPDATED_AT, at).execute();
        assertThat(db.dsl().fetchCount(MESSAGE, MESSAGE.STATUS.eq("queued").and(MESSAGE.NOT_BEFORE.le(at)))).isEqualTo(2);

        try (SendingNode node = new SendingNode(db.settings(Map.of()), Clock.fixed(T, ZoneOffset.UTC))) {
            node.dispatcher().dispatchDue(T);
        }

        assertThat(db.dsl().fetchCount(MESSAGE, MESSAGE.STATUS.in("sent", "delivered")
                .and(MESSAGE.SENT_AT.gt(at.minusDays(7)))))
                .as("messages sent to the contact in 7 days (cap 3)").isEqualTo(3);
        assertThat(db.dsl().fetchCount(MESSAGE, MESSAGE.STATUS.eq("queued").and(MESSAGE.NOT_BEFORE.gt(at))))
                .as("the other one waits for the cap").isEqualTo(1);
    }
}
