package io.surveycast.promoter;

import static io.surveycast.db.Tables.CONTACT;
import static io.surveycast.db.Tables.INVITATION;
import static io.surveycast.db.Tables.MESSAGE;
import static io.surveycast.db.Tables.SUPPRESSION;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.surveycast.campaign.FatiguePolicy;
import io.surveycast.plan.Planner;
import io.surveycast.response.ResponseNotices;
import io.surveycast.response.Responses;
import io.surveycast.schedule.DueRunner;
import io.surveycast.support.Fixtures;
import io.surveycast.support.FreshDatabase;
import io.surveycast.support.MutableClock;
import io.surveycast.support.SendingNode;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The promoter follow-up email through the real due-runner, outbox, dispatcher and SMTP (GreenMail):
 * promoters only (the latest answer when it goes out), once per response, with its own template and
 * the tracked links, within consent, the weekly message cap and the send window.
 */
class PromoterEmailTest {
    static final Instant MONDAY = Instant.parse("2026-06-01T10:00:00Z");
    static final String LINKS = """
            follow-up:
              links:
                review: https://reviews.example.com/acme
                referral: https://acme.example/refer
              promoter-email: {template: promoter-thanks, after: PT2H}
            """;

    @RegisterExtension
    final FreshDatabase db = new FreshDatabase();
    final MutableClock clock = new MutableClock(MONDAY);
    GreenMail smtp;
    DueRunner runner;
    Responses responses;

    @BeforeEach
    void start() {
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        smtp.start();
        runner = new DueRunner(db.dsl(), new Planner(FatiguePolicy.DEFAULT));
        responses = new Responses(db.dsl(), clock, new ResponseNotices(List.of(), Duration.ZERO, "http://x"));
    }

    @AfterEach
    void stop() {
        smtp.stop();
    }

    SendingNode node() throws Exception {
        return new SendingNode(db.settings(Map.of("SURVEYCAST_SMTP_HOST", "127.0.0.1",
                "SURVEYCAST_SMTP_PORT", Integer.toString(smtp.getSmtp().getPort()), "SURVEYCAST_SMTP_TLS", "none",
                "SURVEYCAST_MAIL_FROM", "Acme Surveys <surveys@acme.example>",
                "SURVEYCAST_PUBLIC_URL", "https://nps.acme.example/", "SURVEYCAST_EMAIL_RATE", "0")), clock);
    }

    void campaign(Instant invite, String more, String... people) {
        StringBuilder csv = new StringBuilder("external_id,email,name,onboarded_at\n");
        for (String p : people) {
            csv.append(p).append(',').append(p).append("@example.com,").append(p.toUpperCase()).append(',')
                    .append(invite.minus(Duration.ofDays(1))).append('\n');
        }
        Fixtures.contacts(db.dsl(), clock, csv.toString());
        Fixtures.campaign(db.dsl(), clock, """
                key: welcome
                name: Welcome survey
                trigger: {type: onboarding, offset: P1D}
                channels: [email]
                question: How likely are you to recommend Acme?
                templates: {email: nps-invite}
                expires-after: P14D
                """ + more + LINKS);
    }

    @Test
    void promotersGetOneEmailWithTrackedLinksAndPassivesDetractorsNever() throws Exception {
        campaign(MONDAY, "", "pam", "quinn", "dora", "cleo", "eve", "xena");
        try (SendingNode node = node()) {
            runner.runAt(MONDAY);
            assertThat(node.dispatcher().drain(MONDAY).sent()).containsEntry("email", 6L);
            answer("pam", 10, MONDAY.plusSeconds(600));
            answer("quinn", 8, MONDAY.plusSeconds(600));   // passive
            answer("dora", 3, MONDAY.plusSeconds(600));    // detractor
            answer("cleo", 9, MONDAY.plusSeconds(600));
            answer("cleo", 8, MONDAY.plusSeconds(1800));   // changed within its 24 hours, before the email is due
            answer("eve", 9, MONDAY.plusSeconds(600));
            answer("xena", 10, MONDAY.plusSeconds(600));
            db.dsl().insertInto(SUPPRESSION).set(SUPPRESSION.CONTACT_ID, contact("xena")).set(SUPPRESSION.CHANNEL, "email")
                    .set(SUPPRESSION.REASON, "unsubscribed").set(SUPPRESSION.AT, utc(MONDAY.plusSeconds(2400))).execute();

            Instant due = MONDAY.plus(Duration.ofMinutes(135));
            runner.runAt(MONDAY.plus(Duration.ofMinutes(100)));
            assertThat(promoterMessages()).as("nothing before its delay").isEmpty();
            runner.runAt(due);
            assertThat(promoterMessages()).containsExactlyInAnyOrder("eve queued null", "pam queued null",
                    "xena cancelled suppressed");
            answer("eve", 8, due.plusSeconds(60));         // changed after it was queued, before it went out
            node.dispatcher().drain(due.plusSeconds(120));
            assertThat(promoterMessages()).containsExactlyInAnyOrder("eve cancelled not_promoter", "pam sent null",
                    "xena cancelled suppressed");

            answer("eve", 10, due.plusSeconds(3600));       // a promoter again: the latest answer counts
            runner.runAt(due.plusSeconds(3700));
            node.dispatcher().drain(due.plusSeconds(3700));
            for (Instant later : new Instant[] {due.plus(Duration.ofHours(5)), due.plus(Duration.ofDays(2))}) {
                runner.runAt(later);
                node.dispatcher().drain(later);
            }
            assertThat(promoterMessages()).containsExactlyInAnyOrder("eve sent null", "pam sent null",
                    "xena cancelled suppressed");
        }
        List<MimeMessage> thanks = new ArrayList<>();
        for (MimeMessage m : smtp.getReceivedMessages()) {
            if (m.getSubject().startsWith("Thank you")) {
                thanks.add(m);
            }
        }
        assertThat(thanks).as("one follow-up email per promoter, none to the passive, the detractor, the changed answer "
                + "or the unsubscribed").hasSize(2);
        assertThat(thanks.stream().map(m -> recipient(m)).toList()).containsExactlyInAnyOrder("pam@example.com",
                "eve@example.com");
        MimeMessage pam = thanks.stream().filter(m -> recipient(m).equals("pam@example.com")).findFirst().orElseThrow();
        assertThat(pam.getSubject()).isEqualTo("Thank you for recommending Acme");
        String token = db.dsl().select(INVITATION.TOKEN).from(INVITATION).where(INVITATION.CONTACT_ID.eq(contact("pam")))
                .fetchSingle().value1();
        Multipart parts = (Multipart) pam.getContent();
        String text = (String) parts.getBodyPart(0).getContent();
        String html = (String) parts.getBodyPart(1).getContent();
        assertThat(text).contains("Hi PAM,", "10 out of 10", "review: https://nps.acme.example/r/" + token + "/review",
                "referral: https://nps.acme.example/r/" + token + "/referral").doesNotContain("reviews.example.com");
        assertThat(html).contains("href=\"https://nps.acme.example/r/" + token + "/review\"");
        assertThat(pam.getHeader("List-Unsubscribe", null)).contains("https://nps.acme.example/u/" + token);
    }

    @Test
    void theSendWindowHoldsItUntilItOpens() throws Exception {
        Instant friday = Instant.parse("2026-06-05T15:00:00Z");
        clock.set(friday);
        campaign(friday, "send-window: MON-FRI 09:00-17:00\ntimezone: UTC\n", "pam");
        try (SendingNode node = node()) {
            runner.runAt(friday);
            node.dispatcher().drain(friday);
            answer("pam", 10, friday.plus(Duration.ofMinutes(30)));
            Instant due = friday.plus(Duration.ofMinutes(151));   // 17:31, the window has closed
            runner.runAt(due);
            node.dispatcher().drain(due);
            assertThat(promoterNotBefore()).isEqualTo(Instant.parse("2026-06-08T09:00:00Z"));
            assertThat(smtp.getReceivedMessages()).as("the invite only").hasSize(1);
            Instant monday = Instant.parse("2026-06-08T09:00:00Z");
            runner.runAt(monday);
            node.dispatcher().drain(monday);
        }
        assertThat(smtp.getReceivedMessages()).hasSize(2);
        assertThat(smtp.getReceivedMessages()[1].getSubject()).startsWith("Thank you");
        assertThat(sentAt("promoter")).isBetween(Instant.parse("2026-06-08T09:00:00Z"), Instant.parse("2026-06-08T09:01:00Z"));
    }

    @Test
    void theWeeklyMessageCapHoldsItForAWeek() throws Exception {
        campaign(MONDAY, "reminders: [{after: PT1H, channel: email}]\nfatigue: {max-messages-per-week: 2}\n", "pam");
        try (SendingNode node = node()) {
            runner.runAt(MONDAY);
            node.dispatcher().drain(MONDAY);
            runner.runAt(MONDAY.plus(Duration.ofMinutes(61)));  // an hour after the invite's sent time
            node.dispatcher().drain(MONDAY.plus(Duration.ofMinutes(61)));
            assertThat(smtp.getReceivedMessages()).as("invite and reminder").hasSize(2);
            answer("pam", 10, MONDAY.plus(Duration.ofMinutes(65)));
            Instant due = MONDAY.plus(Duration.ofHours(4));
            runner.runAt(due);
            node.dispatcher().drain(due);
            assertThat(smtp.getReceivedMessages()).as("two messages this week already").hasSize(2);
            Instant invite = sentAt("invite");
            assertThat(promoterNotBefore()).isAfterOrEqualTo(invite.plus(Duration.ofDays(7)));
            Instant week = promoterNotBefore();
            runner.runAt(week);
            node.dispatcher().drain(week);
            assertThat(smtp.getReceivedMessages()).hasSize(3);
            assertThat(sentAt("promoter")).isAfterOrEqualTo(invite.plus(Duration.ofDays(7)));
        }
    }

    private void answer(String who, int score, Instant at) {
        clock.set(at);
        long invitation = db.dsl().select(INVITATION.ID).from(INVITATION).where(INVITATION.CONTACT_ID.eq(contact(who)))
                .fetchSingle().value1();
        responses.answer(invitation, score, null, "email").orElseThrow();
    }

    private long contact(String who) {
        return db.dsl().select(CONTACT.ID).from(CONTACT).where(CONTACT.EXTERNAL_ID.eq(who)).fetchSingle().value1();
    }

    private List<String> promoterMessages() {
        DSLContext dsl = db.dsl();
        return dsl.select(CONTACT.EXTERNAL_ID, MESSAGE.STATUS, MESSAGE.LAST_ERROR).from(MESSAGE)
                .join(CONTACT).on(CONTACT.ID.eq(MESSAGE.CONTACT_ID))
                .where(MESSAGE.KIND.eq("promoter"))
                .fetch(r -> r.value1() + " " + r.value2() + " " + r.value3());
    }

    private Instant promoterNotBefore() {
        return db.dsl().select(MESSAGE.NOT_BEFORE).from(MESSAGE).where(MESSAGE.KIND.eq("promoter")).fetchSingle()
                .value1().toInstant();
    }

    private Instant sentAt(String kind) {
        return db.dsl().select(MESSAGE.SENT_AT).from(MESSAGE).where(MESSAGE.KIND.eq(kind)).fetchSingle().value1().toInstant();
    }

    private static String recipient(MimeMessage m) {
        try {
            return ((jakarta.mail.internet.InternetAddress) m.getAllRecipients()[0]).getAddress();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static OffsetDateTime utc(Instant at) {
        return at.atOffset(java.time.ZoneOffset.UTC);
    }
}
