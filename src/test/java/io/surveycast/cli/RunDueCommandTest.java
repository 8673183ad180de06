package io.surveycast.cli;

import static io.surveycast.db.Tables.CONTACT;
import static io.surveycast.db.Tables.INVITATION;
import static io.surveycast.db.Tables.MESSAGE;
import static io.surveycast.db.Tables.SUPPRESSION;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.surveycast.response.ResponseNotices;
import io.surveycast.response.Responses;
import io.surveycast.support.CliRun;
import io.surveycast.support.Fixtures;
import io.surveycast.support.FreshDatabase;
import io.surveycast.support.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** run-due's counts: the promoter follow-up emails it queued and sent, beside invites and reminders. */
class RunDueCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant MONDAY = Instant.parse("2026-06-01T10:00:00Z");

    @RegisterExtension
    final FreshDatabase db = new FreshDatabase();
    final MutableClock clock = new MutableClock(MONDAY);

    @Test
    void countsThePromoterEmailsItQueuedAndThoseThatWillNotGo() throws Exception {
        Fixtures.contacts(db.dsl(), clock, """
                external_id,email,name,onboarded_at
                pam,pam@example.com,Pam,2026-05-31T10:00:00Z
                eve,eve@example.com,Eve,2026-05-31T10:00:00Z
                dora,dora@example.com,Dora,2026-05-31T10:00:00Z
                xena,xena@example.com,Xena,2026-05-31T10:00:00Z
                """);
        Fixtures.campaign(db.dsl(), clock, """
                key: welcome
                name: Welcome survey
                trigger: {type: onboarding, offset: P1D}
                channels: [email]
                question: How likely are you to recommend Acme?
                templates: {email: nps-invite}
                follow-up:
                  links: {review: https://reviews.example.com/acme}
                  promoter-email: {template: promoter-thanks, after: PT2H}
                """);
        JsonNode invited = runDue(MONDAY);
        assertThat(invited.get("invite").get("email").asLong()).isEqualTo(4);
        assertThat(invited.get("sent").get("email").asLong()).isEqualTo(4);
        assertThat(invited.get("promoter_email").asLong()).isZero();

        answer("pam", 10, MONDAY.plusSeconds(600));
        answer("dora", 3, MONDAY.plusSeconds(600));    // a detractor: no email
        answer("xena", 9, MONDAY.plusSeconds(600));
        db.dsl().insertInto(SUPPRESSION).set(SUPPRESSION.CONTACT_ID, contact("xena")).set(SUPPRESSION.CHANNEL, "email")
                .set(SUPPRESSION.REASON, "unsubscribed").set(SUPPRESSION.AT, MONDAY.plusSeconds(900).atOffset(ZoneOffset.UTC))
                .set(SUPPRESSION.SOURCE, "link").execute();
        JsonNode thanked = runDue(MONDAY.plus(Duration.ofHours(3)));
        assertThat(thanked.get("promoter_email").asLong()).as(thanked.toString()).isEqualTo(1);
        assertThat(thanked.get("promoter_email_skip")).isEqualTo(JSON.readTree("{\"suppressed\": 1}"));
        assertThat(thanked.get("sent").get("email").asLong()).as("Pam's, sent at once").isEqualTo(1);
        assertThat(promoterMessages()).containsExactlyInAnyOrder("pam sent", "xena cancelled");

        answer("eve", 9, MONDAY.plus(Duration.ofHours(3)));
        CliRun table = CliRun.run(db.settings(), "run-due", "--at", MONDAY.plus(Duration.ofHours(6)).toString());
        assertThat(table.exitCode()).as(table.err()).isZero();
        assertThat(table.out()).contains("\npromoter     1\n", "\npromoter skip -\n", "\nsent         email 1, sms 0\n");
        assertThat(promoterMessages()).containsExactlyInAnyOrder("pam sent", "xena cancelled", "eve sent");
    }

    private JsonNode runDue(Instant at) throws Exception {
        CliRun run = CliRun.run(db.settings(), "run-due", "--at", at.toString(), "--format", "json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        return JSON.readTree(run.out());
    }

    private void answer(String who, int score, Instant at) {
        clock.set(at);
        long invitation = db.dsl().select(INVITATION.ID).from(INVITATION).where(INVITATION.CONTACT_ID.eq(contact(who)))
                .fetchSingle().value1();
        new Responses(db.dsl(), clock, new ResponseNotices(List.of(), Duration.ZERO, "http://x"))
                .answer(invitation, score, null, "email").orElseThrow();
    }

    private long contact(String who) {
        return db.dsl().select(CONTACT.ID).from(CONTACT).where(CONTACT.EXTERNAL_ID.eq(who)).fetchSingle().value1();
    }

    private List<String> promoterMessages() {
        return db.dsl().select(CONTACT.EXTERNAL_ID, MESSAGE.STATUS).from(MESSAGE).join(CONTACT).on(CONTACT.ID.eq(MESSAGE.CONTACT_ID))
                .where(MESSAGE.KIND.eq("promoter")).fetch(r -> r.value1() + " " + r.value2());
    }
}
