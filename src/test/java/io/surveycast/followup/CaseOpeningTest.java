package io.surveycast.followup;

import static io.surveycast.db.Tables.CASE_QUEUE;
import static io.surveycast.db.Tables.FOLLOW_UP_CASE;
import static io.surveycast.db.Tables.INVITATION;
import static io.surveycast.db.Tables.NOTIFICATION;
import static io.surveycast.db.Tables.RESPONSE;
import static org.assertj.core.api.Assertions.assertThat;

import io.surveycast.channel.TemplateStore;
import io.surveycast.support.FreshDatabase;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Cases open for the answers the rules name, once per answer, whatever stored it, and follow a changed answer. */
class CaseOpeningTest {
    static final Instant T = Instant.parse("2027-04-08T10:00:00Z");

    @RegisterExtension
    final FreshDatabase db = new FreshDatabase();
    final FrozenClock clock = new FrozenClock(T);

    Cases cases() {
        return Cases.of(db.dsl(), clock, List.of("https://hooks.example.com/cases"), new TemplateStore(Optional.empty()),
                "https://nps.acme.example");
    }

    @Test
    void aDetractorAnswerOpensOneCaseOwnedByTheContactsOwnerDueIn48Hours() {
        var fixture = new CaseFixture(db.dsl(), clock, CaseFixture.CAMPAIGN);
        Cases cases = cases();
        fixture.answer("a", 3, "Support never called back");
        fixture.answer("b", 10, null);
        clock.advance(Duration.ofSeconds(30));
        fixture.answer("a", 3, "Support never called back"); // the same answer again (a second click, a retried SMS)

        assertThat(cases.opening().drain()).as("answers of a and b").isEqualTo(2);
        assertThat(cases.opening().drain()).isZero();

        var all = cases.list(CaseFilter.of("all", null, null, null, false, 100, "--"));
        assertThat(all).hasSize(1);
        FollowUpCase c = all.getFirst();
        assertThat(c.externalId()).isEqualTo("a");
        assertThat(c.category()).isEqualTo("detractor");
        assertThat(c.score()).isEqualTo(3);
        assertThat(c.comment()).isEqualTo("Support never called back");
        assertThat(c.owner()).isEqualTo("ann.owner@acme.example");
        assertThat(c.status()).isEqualTo("open");
        assertThat(c.openedAt()).isEqualTo(T);
        assertThat(c.dueAt()).isEqualTo(T.plus(Duration.ofHours(48)));
        assertThat(c.firstActionAt()).isNull();
        assertThat(c.campaign()).isEqualTo("welcome");
        assertThat(db.dsl().fetchCount(CASE_QUEUE)).isZero();
        assertThat(db.dsl().selectFrom(NOTIFICATION).where(NOTIFICATION.EVENT.eq("case.opened")).fetch())
                .singleElement().satisfies(n -> {
                    assertThat(n.getKind()).isEqualTo("webhook");
                    assertThat(n.getTarget()).isEqualTo("https://hooks.example.com/cases");
                    assertThat(n.getPayload()).contains("\"event\":\"case.opened\"", "\"external_id\":\"a\"",
                            "\"url\":\"https://nps.acme.example/cases/" + c.id() + "\"");
                });
    }

    /** Answers older than their due time (an import, the demo's year): listed as overdue, no escalation storm. */
    @Test
    void aCaseAlreadyPastItsDueTimeWhenItOpensIsOverdueButNotEscalated() {
        var fixture = new CaseFixture(db.dsl(), clock, CaseFixture.CAMPAIGN);
        fixture.answer("a", 2, "Old news");
        clock.advance(Duration.ofDays(10));
        Cases cases = cases();
        cases.opening().drain();

        assertThat(cases.list(CaseFilter.of("open", null, null, null, true, 100, "--"))).as("overdue").hasSize(1);
        assertThat(cases.escalation().escalateDue()).isZero();
        assertThat(db.dsl().fetchCount(NOTIFICATION, NOTIFICATION.EVENT.eq("case.overdue"))).isZero();

        fixture.answer("b", 1, "New");
        cases.opening().drain();
        clock.advance(Duration.ofHours(49));
        assertThat(cases.escalation().escalateDue()).as("one that fell due while open").isEqualTo(1);
    }

    @Test
    void aContactWithoutOwnerGivesAnUnassignedCase() {
        var fixture = new CaseFixture(db.dsl(), clock, CaseFixture.CAMPAIGN);
        fixture.answer("b", 0, null);
        Cases cases = cases();
        cases.opening().drain();
        assertThat(cases.list(CaseFilter.queue())).singleElement().satisfies(c -> assertThat(c.owner()).isNull());
    }

    @Test
    void anAnswerWrittenStraightToTheTableAsAnImportWouldOpensItsCaseOnceToo() {
        var fixture = new CaseFixture(db.dsl(), clock, CaseFixture.CAMPAIGN);
        long invitation = fixture.invitations.get("c");
        for (int i = 0; i < 2; i++) {
            db.dsl().insertInto(RESPONSE)
                    .set(RESPONSE.INVITATION_ID, invitation).set(RESPONSE.SCORE, (short) 4).set(RESPONSE.CHANNEL, "email")
                    .set(RESPONSE.RECEIVED_AT, T.minus(Duration.ofDays(3)).atOffset(ZoneOffset.UTC))
                    .set(RESPONSE.UPDATED_AT, T.atOffset(ZoneOffset.UTC))
                    .onConflict(RESPONSE.INVITATION_ID).doNothing()
                    .execute();
        }
        Cases cases = cases();
        cases.opening().drain();
        assertThat(cases.list(CaseFilter.queue())).singleElement().satisfies(c -> {
            assertThat(c.externalId()).isEqualTo("c");
            assertThat(c.dueAt()).as("due from when it was stored").isEqualTo(T.plus(Duration.ofHours(48)));
        });
    }

    @Test
    void aChangedAnswerClosesTheCaseAsScoreChangedAndOpensItAgainWhenItComesBack() {
        var fixture = new CaseFixture(db.dsl(), clock, CaseFixture.CAMPAIGN);
        Cases cases = cases();
        fixture.answer("a", 2, null);
        cases.opening().drain();
        long id = cases.list(CaseFilter.queue()).getFirst().id();

        clock.advance(Duration.ofHours(1));
        fixture.answer("a", 6, "better after all");      // still a detractor: the case stays as it is
        cases.opening().drain();
        assertThat(cases.find(id).orElseThrow().status()).isEqualTo("open");

        clock.advance(Duration.ofHours(1));
        fixture.answer("a", 9, null);                     // a promoter now: nobody needs to call
        cases.opening().drain();
        FollowUpCase closed = cases.find(id).orElseThrow();
        assertThat(closed.status()).isEqualTo("closed");
        assertThat(closed.closeReason()).isEqualTo("score_changed");
        assertThat(closed.closedAt()).isEqualTo(T.plus(Duration.ofHours(2)));
        assertThat(closed.firstActionAt()).as("not a person's action").isNull();
        assertThat(cases.list(CaseFilter.queue())).isEmpty();

        clock.advance(Duration.ofHours(1));
        fixture.answer("a", 1, null);                     // back to a detractor within the 24 hours
        cases.opening().drain();
        FollowUpCase again = cases.find(id).orElseThrow();
        assertThat(again.status()).isEqualTo("open");
        assertThat(again.closedAt()).isNull();
        assertThat(again.closeReason()).isNull();
        assertThat(again.dueAt()).isEqualTo(T.plus(Duration.ofHours(3 + 48)));
        assertThat(db.dsl().fetchCount(FOLLOW_UP_CASE)).as("one case per invitation").isEqualTo(1);
        assertThat(db.dsl().select(NOTIFICATION.EVENT).from(NOTIFICATION).orderBy(NOTIFICATION.ID).fetch(NOTIFICATION.EVENT))
                .containsExactly("case.opened", "case.closed", "case.opened");
    }

    @Test
    void aCasePeopleClosedStaysClosedWhenTheAnswerChanges() {
        var fixture = new CaseFixture(db.dsl(), clock, CaseFixture.CAMPAIGN);
        Cases cases = cases();
        fixture.answer("a", 2, null);
        cases.opening().drain();
        long id = cases.list(CaseFilter.queue()).getFirst().id();
        cases.close(id, "called, refund agreed", "ops");
        fixture.answer("a", 9, null);
        fixture.answer("a", 3, null);
        cases.opening().drain();
        FollowUpCase c = cases.find(id).orElseThrow();
        assertThat(c.status()).isEqualTo("closed");
        assertThat(c.closeReason()).isEqualTo("called, refund agreed");
        assertThat(db.dsl().fetchCount(INVITATION)).isEqualTo(3);
    }

    @Test
    void theCampaignsFollowUpBlockNamesTheFallbackOwnerOpensPassiveCasesAndMovesACaseBetweenThem() {
        var fixture = new CaseFixture(db.dsl(), clock, CaseFixture.CAMPAIGN + """
                timezone: Europe/Paris
                follow-up:
                  owner: cs-team@acme.example
                  detractor: {due: PT24H}
                  passive: {case: true, due: P7D}
                """);
        Cases cases = cases();
        fixture.answer("a", 8, null);   // a passive: a case too, due in 7 days
        fixture.answer("b", 1, null);   // no owner_email: the campaign's owner
        fixture.answer("c", 10, null);  // promoters never open one
        cases.opening().drain();
        var queue = cases.list(CaseFilter.queue());
        assertThat(queue).extracting(FollowUpCase::externalId).containsExactly("b", "a");
        assertThat(queue.get(0).owner()).isEqualTo("cs-team@acme.example");
        assertThat(queue.get(0).dueAt()).isEqualTo(T.plus(Duration.ofHours(24)));
        assertThat(queue.get(1).category()).isEqualTo("passive");
        assertThat(queue.get(1).dueAt()).isEqualTo(T.plus(Duration.ofDays(7)));

        clock.advance(Duration.ofHours(2));
        fixture.answer("a", 5, null);   // passive to detractor: the same case moves, due 24 h from the change
        cases.opening().drain();
        FollowUpCase moved = cases.find(queue.get(1).id()).orElseThrow();
        assertThat(moved.category()).isEqualTo("detractor");
        assertThat(moved.status()).isEqualTo("open");
        assertThat(moved.dueAt()).isEqualTo(T.plus(Duration.ofHours(2 + 24)));
        assertThat(db.dsl().fetchCount(FOLLOW_UP_CASE)).isEqualTo(2);
    }

    @Test
    void aCampaignWithCasesTurnedOffOpensNone() {
        var fixture = new CaseFixture(db.dsl(), clock, CaseFixture.CAMPAIGN + """
                follow-up:
                  detractor: {case: false}
                """);
        fixture.answer("a", 0, "awful");
        Cases cases = cases();
        cases.opening().drain();
        assertThat(db.dsl().fetchCount(FOLLOW_UP_CASE)).isZero();
        assertThat(db.dsl().fetchCount(CASE_QUEUE)).as("handled all the same").isZero();
    }
}
