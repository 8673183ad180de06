package io.surveycast.channel.email;

import static io.surveycast.db.Tables.CONTACT;
import static io.surveycast.db.Tables.INBOUND_MAIL;
import static io.surveycast.db.Tables.INVITATION;
import static io.surveycast.db.Tables.MESSAGE;
import static io.surveycast.db.Tables.SUPPRESSION;
import static org.assertj.core.api.Assertions.assertThat;

import io.surveycast.campaign.FatiguePolicy;
import io.surveycast.consent.EmailUnsubscribe;
import io.surveycast.db.tables.records.SuppressionRecord;
import io.surveycast.plan.Planner;
import io.surveycast.schedule.DueRunner;
import io.surveycast.support.Fixtures;
import io.surveycast.support.FreshDatabase;
import io.surveycast.support.SendingNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What each kind of mail in the bounce mailbox does to messages, invitations and suppressions,
 * on messages really sent (development mode's captured SMTP) at T, T+3d and T+7d (invite and two reminders).
 */
class BounceProcessorTest {
    static final Instant T = Instant.parse("2026-06-01T12:00:00Z");
    static final Instant LATER = T.plus(Duration.ofDays(8));

    @RegisterExtension
    final FreshDatabase db = new FreshDatabase(Map.of("SURVEYCAST_MAIL_FROM", "surveys@acme.example",
            "SURVEYCAST_EMAIL_RATE", "0"));

    @BeforeEach
    void sendInviteAndTwoReminders() throws Exception {
        Clock clock = Clock.fixed(T, ZoneOffset.UTC);
        Fixtures.contacts(db.dsl(), clock, """
                external_id,email,onboarded_at
                ann,ann@example.com,2026-05-31T12:00:00Z
                bob,bob@example.com,2026-05-31T12:00:00Z
                """);
        Fixtures.campaign(db.dsl(), clock, """
                key: welcome
                name: Welcome survey
                trigger: {type: onboarding, offset: P1D}
                channels: [email]
                question: How likely are you to recommend Acme?
                templates: {email: nps-invite}
                reminders:
                  - {after: P3D, channel: email}
                  - {after: P7D, channel: email}
                expires-after: P14D
                """);
        DueRunner due = new DueRunner(db.dsl(), new Planner(FatiguePolicy.DEFAULT));
        for (Instant at : List.of(T, T.plus(Duration.ofDays(3)).plusSeconds(60),
                T.plus(Duration.ofDays(7)).plusSeconds(60))) {
            due.runAt(at);
            try (SendingNode node = new SendingNode(db.settings(), Clock.fixed(at, ZoneOffset.UTC))) {
                assertThat(node.dispatcher().drain(at).sent()).containsEntry("email", 2L);
            }
        }
    }

    BounceProcessor processor(int softLimit) {
        Clock clock = Clock.fixed(LATER, ZoneOffset.UTC);
        return new BounceProcessor(db.dsl(), clock, new EmailUnsubscribe(db.dsl(), clock), softLimit);
    }

    @Test
    void aHardBounceOfTheInviteBouncesItFailsTheInvitationAndSuppressesEmail() {
        String invite = messageId("ann", 0);
        BounceProcessor.Outcome outcome = processor(3).process(Reports.hardBounce(invite, "ann@example.com"));

        assertThat(outcome.kind()).isEqualTo("hard_bounce");
        assertThat(outcome.duplicate()).isFalse();
        var message = db.dsl().fetchOne(MESSAGE, MESSAGE.PROVIDER_ID.eq(invite));
        assertThat(message.getStatus()).isEqualTo("bounced");
        assertThat(message.getLastError()).contains("5.1.1").contains("User unknown");
        assertThat(message.getUpdatedAt().toInstant()).isEqualTo(LATER);
        assertThat(db.dsl().fetchOne(INVITATION, INVITATION.ID.eq(message.getInvitationId())).getStatus()).isEqualTo("failed");
        SuppressionRecord s = suppression("ann");
        assertThat(s.getReason()).isEqualTo("hard_bounce");
        assertThat(s.getChannel()).isEqualTo("email");
        assertThat(s.getAt().toInstant()).isEqualTo(LATER);
        assertThat(suppression("bob")).isNull();
    }

    @Test
    void theSameReportTwiceIsProcessedOnce() {
        byte[] report = Reports.softBounce(messageId("ann", 0), "ann@example.com");
        assertThat(processor(1).process(report).duplicate()).isFalse();
        db.dsl().deleteFrom(SUPPRESSION).execute();

        BounceProcessor.Outcome again = processor(1).process(report);

        assertThat(again.duplicate()).isTrue();
        assertThat(suppression("ann")).as("nothing done the second time").isNull();
        assertThat(db.dsl().fetchCount(INBOUND_MAIL)).isEqualTo(1);
    }

    @Test
    void threeSoftBouncesInARowSuppressEmailAndEachMessageIsBounced() {
        BounceProcessor processor = processor(3);
        processor.process(Reports.softBounce(messageId("ann", 0), "ann@example.com"));
        processor.process(Reports.softBounce(messageId("ann", 1), "ann@example.com"));
        processor.process(Reports.softBounce(messageId("ann", 1), "ann@example.com")); // the same message again
        assertThat(suppression("ann")).as("two messages bounced so far").isNull();

        BounceProcessor.Outcome third = processor.process(Reports.softBounce(messageId("ann", 2), "ann@example.com"));

        assertThat(third.kind()).isEqualTo("soft_bounce");
        assertThat(suppression("ann").getReason()).isEqualTo("hard_bounce");
        assertThat(suppression("ann").getSource()).isEqualTo("3 soft bounces");
        assertThat(db.dsl().fetchCount(MESSAGE, MESSAGE.CONTACT_ID.eq(contact("ann")), MESSAGE.STATUS.eq("bounced"),
                MESSAGE.LAST_ERROR.contains("4.4.7"))).isEqualTo(3);
    }

    @Test
    void aMessageThatWentThroughBetweenSoftBouncesBreaksTheRow() {
        BounceProcessor processor = processor(2);
        processor.process(Reports.softBounce(messageId("ann", 0), "ann@example.com"));
        processor.process(Reports.softBounce(messageId("ann", 2), "ann@example.com"));
        assertThat(suppression("ann")).as("reminder 1 went through between them").isNull();

        processor.process(Reports.softBounce(messageId("ann", 1), "ann@example.com"));

        assertThat(suppression("ann")).as("now all three bounced").isNotNull();
    }

    @Test
    void aDelayOrAPolicyRefusalDoesNotSuppress() {
        BounceProcessor processor = processor(1);
        BounceProcessor.Outcome delayed = processor.process(Reports.dsn(messageId("ann", 0), "ann@example.com", "delayed",
                "4.4.1", "451 4.4.1 no answer from host", false));
        BounceProcessor.Outcome policy = processor.process(Reports.dsn(messageId("bob", 0), "bob@example.com", "failed",
                "5.7.1", "554 5.7.1 Message rejected as spam", false));

        assertThat(delayed.kind()).isEqualTo("ignored");
        assertThat(db.dsl().fetchOne(MESSAGE, MESSAGE.PROVIDER_ID.eq(messageId("ann", 0))).getStatus()).isEqualTo("sent");
        assertThat(policy.kind()).isEqualTo("hard_bounce");
        assertThat(db.dsl().fetchOne(MESSAGE, MESSAGE.PROVIDER_ID.eq(messageId("bob", 0))).getStatus()).isEqualTo("bounced");
        assertThat(db.dsl().fetchCount(SUPPRESSION)).isZero();
    }

    @Test
    void aComplaintSuppressesWithReasonComplaintEvenOverAnUnsubscribe() {
        processor(3).process(Reports.plain("unsubscribe " + token("ann"), ""));
        assertThat(suppression("ann").getReason()).isEqualTo("unsubscribed");
        assertThat(suppression("ann").getSource()).isEqualTo("mailto");

        BounceProcessor.Outcome outcome = processor(3).process(Reports.complaint(messageId("ann", 1), "ann@example.com"));

        assertThat(outcome.kind()).isEqualTo("complaint");
        assertThat(suppression("ann").getReason()).isEqualTo("complaint");
    }

    @Test
    void unrelatedUnknownAndUnreadableMailIsRecordedAndChangesNothing() {
        BounceProcessor processor = processor(1);
        assertThat(processor.process(Reports.plain("Out of office", "I am away")).kind()).isEqualTo("ignored");
        assertThat(processor.process(Reports.hardBounce("<m999999.i1@acme.example>", "x@example.com")).kind())
                .isEqualTo("ignored");
        assertThat(processor.process(Reports.plain("unsubscribe not-a-known-token", "")).kind()).isEqualTo("ignored");
        assertThat(processor.process(Reports.garbage()).kind()).isIn("ignored", "unreadable");
        assertThat(processor.process(new byte[0]).kind()).isIn("ignored", "unreadable");

        assertThat(db.dsl().fetchCount(SUPPRESSION)).isZero();
        assertThat(db.dsl().fetchCount(MESSAGE, MESSAGE.STATUS.ne("sent"))).isZero();
        assertThat(db.dsl().fetchCount(INBOUND_MAIL)).isEqualTo(5);
    }

    private String messageId(String externalId, int step) {
        String id = db.dsl().select(MESSAGE.PROVIDER_ID).from(MESSAGE)
                .where(MESSAGE.CONTACT_ID.eq(contact(externalId)), MESSAGE.STEP.eq(step)).fetchOne().value1();
        assertThat(id).startsWith("<m").endsWith("@acme.example>");
        return id;
    }

    private String token(String externalId) {
        return db.dsl().select(INVITATION.TOKEN).from(INVITATION).where(INVITATION.CONTACT_ID.eq(contact(externalId)))
                .fetchOne().value1();
    }

    private long contact(String externalId) {
        return db.dsl().select(CONTACT.ID).from(CONTACT).where(CONTACT.EXTERNAL_ID.eq(externalId)).fetchOne().value1();
    }

    private SuppressionRecord suppression(String externalId) {
        return db.dsl().fetchOne(SUPPRESSION, SUPPRESSION.CONTACT_ID.eq(contact(externalId)));
    }
}
