package io.surveycast.response;

import static io.surveycast.db.Tables.INVITATION;
import static io.surveycast.db.Tables.MESSAGE;
import static io.surveycast.db.Tables.NOTIFICATION;
import static io.surveycast.db.Tables.RESPONSE;
import static io.surveycast.db.Tables.RESPONSE_HISTORY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.surveycast.campaign.FatiguePolicy;
import io.surveycast.plan.Planner;
import io.surveycast.schedule.DueRunner;
import io.surveycast.support.Fixtures;
import io.surveycast.support.FreshDatabase;
import io.surveycast.support.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Recording answers against the real schema: reminders cancelled, the 24-hour window, history, queued notices. */
class ResponsesTest {
    static final Instant T = Instant.parse("2026-06-01T12:00:00Z");

    @RegisterExtension
    final FreshDatabase db = new FreshDatabase();
    final MutableClock clock = new MutableClock(T);
    Responses responses;
    long invitation;

    @BeforeEach
    void anInviteSentAndItsReminderQueued() {
        Fixtures.contacts(db.dsl(), clock, """
                external_id,email,name,onboarded_at
                a,ann@example.com,Ann,2026-05-31T12:00:00Z
                """);
        Fixtures.campaign(db.dsl(), clock, """
                key: welcome
                name: Welcome
                trigger: {type: onboarding, offset: P1D}
                channels: [email]
                question: How likely?
                templates: {email: nps-invite}
                reminders: [{after: P3D, channel: email}, {after: P5D, channel: email}]
                expires-after: P10D
                alerts: {webhook: "https://hooks.example.com/x"}
                """);
        DueRunner runner = new DueRunner(db.dsl(), new Planner(FatiguePolicy.DEFAULT));
        runner.runAt(T);
        // the invite went out (as the dispatcher records it)
        db.dsl().update(MESSAGE).set(MESSAGE.STATUS, "sent").set(MESSAGE.SENT_AT, T.atOffset(ZoneOffset.UTC)).execute();
        db.dsl().update(INVITATION).set(INVITATION.STATUS, "sent").set(INVITATION.SENT_AT, T.atOffset(ZoneOffset.UTC))
                .set(INVITATION.TOKEN, "tok-a").execute();
        runner.runAt(T.plus(Duration.ofDays(3)));
        assertThat(db.dsl().fetchCount(MESSAGE, MESSAGE.KIND.eq("reminder"), MESSAGE.STATUS.eq("queued"))).isEqualTo(1);
        invitation = db.dsl().select(INVITATION.ID).from(INVITATION).fetchSingle().value1();
        responses = new Responses(db.dsl(), clock, new ResponseNotices(List.of("https://crm.example.com/hook"),
                Duration.ofSeconds(15), "https://nps.example.com"));
        clock.set(T.plus(Duration.ofDays(3)).minusSeconds(1));
    }

    @Test
    void aFirstAnswerCancelsThePendingReminderAndMarksTheInvitationResponded() {
        var outcome = responses.answer(invitation, 9, null, "email").orElseThrow();
        assertThat(outcome).isInstanceOf(Responses.Outcome.Recorded.class);
        assertThat(((Responses.Outcome.Recorded) outcome).created()).isTrue();
        assertThat(db.dsl().select(MESSAGE.STATUS, MESSAGE.LAST_ERROR).from(MESSAGE).where(MESSAGE.KIND.eq("reminder"))
                .fetchSingle().intoArray()).containsExactly("cancelled", "responded");
        assertThat(db.dsl().select(INVITATION.STATUS).from(INVITATION).fetchSingle().value1()).isEqualTo("responded");
        // the next reminder step creates nothing for an answered invitation
        new DueRunner(db.dsl(), new Planner(FatiguePolicy.DEFAULT)).runAt(T.plus(Duration.ofDays(5)));
        assertThat(db.dsl().fetchCount(MESSAGE, MESSAGE.STATUS.eq("queued"))).isZero();
        assertThat(db.dsl().select(NOTIFICATION.KIND, NOTIFICATION.EVENT).from(NOTIFICATION).fetch().map(r -> r.intoList()))
                .as("a promoter: the webhook only, no alert")
                .containsExactly(List.of("webhook", "response.created"));
    }

    @Test
    void answersChangeFor24HoursKeepTheirHistoryAndAlertWhenTheyBecomeDetractors() {
        responses.answer(invitation, 8, null, "sms");
        responses.answer(invitation, 8, null, "sms"); // the same again: nothing new
        assertThat(db.dsl().fetchCount(RESPONSE_HISTORY)).isEqualTo(1);
        responses.answer(invitation, null, "slow support", "sms");
        clock.advance(Duration.ofHours(23));
        responses.answer(invitation, 4, null, "email");
        assertThat(responses.find(invitation).orElseThrow()).satisfies(r -> {
            assertThat(r.score()).isEqualTo(4);
            assertThat(r.comment()).isEqualTo("slow support");
        });
        assertThat(db.dsl().selectFrom(NOTIFICATION).where(NOTIFICATION.KIND.eq("alert_webhook")).fetch())
                .as("became a detractor").hasSize(1)
                .allSatisfy(n -> assertThat(n.getNextAttemptAt().toInstant()).isAfter(clock.instant().plusSeconds(10)));
        clock.advance(Duration.ofHours(2));
        assertThat(responses.answer(invitation, 10, null, "email").orElseThrow()).isInstanceOf(Responses.Outcome.Closed.class);
        assertThat(responses.find(invitation).orElseThrow().score()).isEqualTo(4);
        assertThat(db.dsl().fetchCount(RESPONSE_HISTORY)).isEqualTo(3);
    }

    @Test
    void anExpiredInvitationTakesNoAnswerAndACommentNeedsAScoreFirst() {
        assertThatThrownBy(() -> responses.answer(invitation, null, "hello", "sms")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> responses.answer(invitation, 11, null, "sms")).isInstanceOf(IllegalArgumentException.class);
        clock.set(T.plus(Duration.ofDays(11)));
        assertThat(responses.answer(invitation, 9, null, "sms").orElseThrow()).isInstanceOf(Responses.Outcome.Expired.class);
        assertThat(db.dsl().fetchCount(RESPONSE_HISTORY)).isZero();
        assertThat(responses.answer(invitation + 1000, 9, null, "sms")).isEmpty();
    }

    @Test
    void anAnswerDatedBeforeItsInvitationWasSentIsRefusedAndNothingStored() {
        clock.set(T.minus(Duration.ofHours(1))); // e.g. serve on today's clock, the invite sent by a run-due --at in the future
        Responses.Outcome outcome = responses.answer(invitation, 3, "slow", "email").orElseThrow();
        assertThat(outcome).isInstanceOfSatisfying(Responses.Outcome.BeforeInvite.class, early -> {
            assertThat(early.sentAt()).isEqualTo(T);
            assertThat(early.now()).isBefore(T);
        });
        assertThat(db.dsl().fetchCount(RESPONSE)).isZero();
        assertThat(db.dsl().fetchCount(RESPONSE_HISTORY)).isZero();
        assertThat(db.dsl().fetchValue(INVITATION.STATUS)).isEqualTo("sent");
        assertThat(db.dsl().fetchCount(MESSAGE, MESSAGE.KIND.eq("reminder"), MESSAGE.STATUS.eq("queued"))).isEqualTo(1);
        clock.set(T.plusSeconds(1));
        assertThat(responses.answer(invitation, 3, "slow", "email").orElseThrow()).isInstanceOf(Responses.Outcome.Recorded.class);
    }
}
