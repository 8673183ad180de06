package io.surveycast.followup;

import static io.surveycast.db.Tables.NOTIFICATION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.surveycast.channel.Channel;
import io.surveycast.channel.Channels;
import io.surveycast.channel.OutboundMessage;
import io.surveycast.channel.SendResult;
import io.surveycast.channel.TemplateStore;
import io.surveycast.config.OutgoingUrls;
import io.surveycast.response.NotificationSender;
import io.surveycast.response.ResponseNotices;
import io.surveycast.support.FreshDatabase;
import io.surveycast.support.HookReceiver;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A case open at its due time is escalated once: an email to its owner and one to the campaign's
 * escalate-to, and a signed case.overdue webhook, through the outbox, so a restart or a node that
 * dies mid-send loses none of them and sends none twice.
 */
class CaseEscalationTest {
    static final Instant T = Instant.parse("2027-04-08T10:00:00Z");
    static final String CAMPAIGN = CaseFixture.CAMPAIGN + """
            follow-up:
              owner: cs-team@acme.example
              escalate-to: cs-lead@acme.example
            """;

    @RegisterExtension
    final FreshDatabase db = new FreshDatabase();
    final FrozenClock clock = new FrozenClock(T);
    GreenMail smtp;
    HookReceiver hooks;

    @BeforeEach
    void start() throws Exception {
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        smtp.start();
        hooks = new HookReceiver();
    }

    @AfterEach
    void stop() {
        hooks.close();
        smtp.stop();
    }

    Cases cases() {
        return Cases.of(db.dsl(), clock, List.of(hooks.url("/hooks")), new TemplateStore(Optional.empty()), "https://nps.acme.example");
    }

    NotificationSender sender(Channel email) {
        return new NotificationSender(db.dsl(), clock, new ResponseNotices(List.of(), Duration.ZERO, "http://x"), email,
                new TemplateStore(Optional.empty()), "s3cret", "surveys@acme.example", new OutgoingUrls(true));
    }

    Channel greenMail() {
        return Channels.fromSettings(db.settings(Map.of("SURVEYCAST_SMTP_HOST", "127.0.0.1",
                "SURVEYCAST_SMTP_PORT", Integer.toString(smtp.getSmtp().getPort()), "SURVEYCAST_SMTP_TLS", "none",
                "SURVEYCAST_MAIL_FROM", "Acme Surveys <surveys@acme.example>")), db.dsl(), clock, new io.surveycast.devmode.DevModeChannels()).email();
    }

    @Test
    void anOverdueCaseIsEscalatedOnceToItsOwnerAndTheEscalationAddressEvenWhenANodeDiesMidSend() throws Exception {
        var fixture = new CaseFixture(db.dsl(), clock, CAMPAIGN);
        fixture.answer("a", 3, "Too slow");   // owner: the contact's owner_email
        fixture.answer("b", 2, null);         // owner: the campaign's fallback
        fixture.answer("c", 4, null);         // closed before its due time: never escalated
        Cases cases = cases();
        cases.opening().drain();
        long closedInTime = cases.list(CaseFilter.of(null, null, null, null, false, 100, "--")).stream()
                .filter(c -> c.externalId().equals("c")).findFirst().orElseThrow().id();
        cases.close(closedInTime, "called back", "lea");
        assertThat(cases.list(CaseFilter.queue())).extracting(FollowUpCase::owner)
                .containsExactly("ann.owner@acme.example", "cs-team@acme.example");

        clock.advance(Duration.ofHours(48).minusSeconds(1));
        assertThat(cases.escalation().escalateDue()).as("not due yet").isZero();
        clock.advance(Duration.ofSeconds(1));
        assertThat(cases.escalation().escalateDue()).isEqualTo(2);
        clock.advance(Duration.ofMinutes(5));
        assertThat(cases.escalation().escalateDue()).as("once").isZero();
        assertThat(db.dsl().select(NOTIFICATION.TARGET).from(NOTIFICATION).where(NOTIFICATION.KIND.eq("email"))
                .fetch(NOTIFICATION.TARGET))
                .containsExactlyInAnyOrder("ann.owner@acme.example", "cs-lead@acme.example", "cs-team@acme.example",
                        "cs-lead@acme.example");

        // a node claims the outbox and dies at its first email: nothing of its batch is recorded
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> sender(new Channel() {
            @Override
            public SendResult send(OutboundMessage message) {
                calls.incrementAndGet();
                throw new OutOfMemoryError("the node dies here");
            }
        }).sendDue()).isInstanceOf(OutOfMemoryError.class);
        assertThat(calls).hasValue(1);

        // another node (or this one restarted) finds the claimed notifications once their lease is over
        NotificationSender restarted = sender(greenMail());
        assertThat(restarted.sendDue()).as("leased to the dead node").isLessThan(6);
        clock.advance(Duration.ofMinutes(3));
        restarted.sendDue();
        assertThat(db.dsl().selectFrom(NOTIFICATION).where(NOTIFICATION.EVENT.eq("case.overdue")).fetch())
                .hasSize(6).allSatisfy(n -> assertThat(n.getStatus()).isEqualTo("sent"));

        assertThat(smtp.waitForIncomingEmail(10_000, 4)).isTrue();
        MimeMessage[] mails = smtp.getReceivedMessages();
        assertThat(Arrays.stream(mails).map(m -> recipient(m)).toList())
                .containsExactlyInAnyOrder("ann.owner@acme.example", "cs-lead@acme.example", "cs-team@acme.example",
                        "cs-lead@acme.example");
        assertThat(mails).allSatisfy(m -> assertThat(m.getSubject()).startsWith("Overdue follow-up: "));
        assertThat(Arrays.stream(mails).map(m -> subject(m))).contains("Overdue follow-up: Ann scored 3/10");
        var overdueHooks = hooks.received("/hooks").stream().filter(r -> "case.overdue".equals(r.header("X-Surveycast-Event")))
                .toList();
        assertThat(overdueHooks).hasSize(2).allSatisfy(r -> {
            assertThat(r.header("X-Surveycast-Signature")).startsWith("sha256=");
            assertThat(r.body()).contains("\"event\":\"case.overdue\"", "\"status\":\"open\"");
        });
    }

    private static String recipient(MimeMessage m) {
        try {
            return m.getAllRecipients()[0].toString();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String subject(MimeMessage m) {
        try {
            return m.getSubject();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }
}
