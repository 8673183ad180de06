package io.surveycast.channel.email;

import static io.surveycast.db.Tables.CONTACT;
import static io.surveycast.db.Tables.INBOUND_MAIL;
import static io.surveycast.db.Tables.INVITATION;
import static io.surveycast.db.Tables.MESSAGE;
import static io.surveycast.db.Tables.SUPPRESSION;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.surveycast.App;
import io.surveycast.campaign.FatiguePolicy;
import io.surveycast.plan.Planner;
import io.surveycast.schedule.DueRunner;
import io.surveycast.support.Fixtures;
import io.surveycast.support.FreshDatabase;
import io.surveycast.support.SendingNode;
import jakarta.mail.Flags;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import org.apache.camel.ServiceStatus;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The real bounces route (camel-mail IMAP consumer) reading a GreenMail mailbox, as {@code serve} runs it. */
class BounceMailboxTest {
    static final Instant T = Instant.parse("2026-06-01T12:00:00Z");
    static final Clock CLOCK = Clock.fixed(T, ZoneOffset.UTC);
    static final String PASSWORD = "p&ss+w%rd)?"; // characters a URI would otherwise mangle

    @RegisterExtension
    final FreshDatabase db = new FreshDatabase(Map.of("SURVEYCAST_MAIL_FROM", "surveys@acme.example",
            "SURVEYCAST_EMAIL_RATE", "0"));
    GreenMail imap;
    GreenMailUser mailbox;
    Main serve;

    @BeforeEach
    void sendAndStartTheMailbox() throws Exception {
        Fixtures.contacts(db.dsl(), CLOCK, """
                external_id,email,onboarded_at
                ann,ann@example.com,2026-05-31T12:00:00Z
                bob,bob@example.com,2026-05-31T12:00:00Z
                cy,cy@example.com,2026-05-31T12:00:00Z
                """);
        Fixtures.campaign(db.dsl(), CLOCK, """
                key: welcome
                name: Welcome survey
                trigger: {type: onboarding, offset: P1D}
                channels: [email]
                question: How likely are you to recommend Acme?
                templates: {email: nps-invite}
                expires-after: P14D
                """);
        new DueRunner(db.dsl(), new Planner(FatiguePolicy.DEFAULT)).runAt(T);
        try (SendingNode node = new SendingNode(db.settings(), CLOCK)) {
            assertThat(node.dispatcher().drain(T).sent()).containsEntry("email", 3L);
        }
        imap = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_IMAP).dynamicPort());
        imap.start();
        mailbox = imap.setUser("bounces@acme.example", "bounces", PASSWORD);
    }

    @AfterEach
    void stop() {
        if (serve != null) {
            serve.stop();
        }
        imap.stop();
    }

    void serve() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Map<String, String> env = new HashMap<>();
        env.put("SURVEYCAST_HTTP_PORT", Integer.toString(port));
        env.put("SURVEYCAST_HTTP_HOST", "127.0.0.1");
        env.put("SURVEYCAST_BOUNCE_IMAP_HOST", "127.0.0.1");
        env.put("SURVEYCAST_BOUNCE_IMAP_PORT", Integer.toString(imap.getImap().getPort()));
        env.put("SURVEYCAST_BOUNCE_IMAP_TLS", "none");
        env.put("SURVEYCAST_BOUNCE_IMAP_USERNAME", "bounces");
        env.put("SURVEYCAST_BOUNCE_IMAP_PASSWORD", PASSWORD);
        env.put("SURVEYCAST_BOUNCE_IMAP_INTERVAL", "PT0.2S");
        serve = App.camel(db.settings(env), db.database(), Clock.fixed(T.plusSeconds(3600), ZoneOffset.UTC));
        serve.start();
        assertThat(serve.getCamelContext().getRouteController().getRouteStatus("bounces")).isEqualTo(ServiceStatus.Started);
    }

    @Test
    void reportsInTheMailboxAreProcessedOnceAndGarbageBreaksNothing() throws Exception {
        deliver(Reports.garbage());
        deliver(Reports.plain("Out of office", "Back on Monday."));
        deliver(Reports.hardBounce(messageId("ann"), "ann@example.com"));
        serve();

        await(() -> "bounced".equals(status("ann")));
        assertThat(db.dsl().fetchOne(SUPPRESSION, SUPPRESSION.CONTACT_ID.eq(contact("ann"))).getReason())
                .isEqualTo("hard_bounce");
        assertThat(db.dsl().select(INVITATION.STATUS).from(INVITATION).where(INVITATION.CONTACT_ID.eq(contact("ann")))
                .fetchOne().value1()).isEqualTo("failed");

        // the route goes on after the garbage: a soft bounce is counted, a mailto unsubscribe honoured
        deliver(Reports.softBounce(messageId("bob"), "bob@example.com"));
        deliver(Reports.plain("unsubscribe " + token("cy"), ""));
        await(() -> db.dsl().fetchCount(INBOUND_MAIL) == 5);
        assertThat(status("bob")).isEqualTo("bounced");
        assertThat(db.dsl().fetchCount(INBOUND_MAIL, INBOUND_MAIL.KIND.eq("soft_bounce"),
                INBOUND_MAIL.CONTACT_ID.eq(contact("bob")))).isEqualTo(1);
        assertThat(db.dsl().fetchCount(SUPPRESSION, SUPPRESSION.CONTACT_ID.eq(contact("bob")))).as("one soft bounce").isZero();
        assertThat(db.dsl().fetchOne(SUPPRESSION, SUPPRESSION.CONTACT_ID.eq(contact("cy"))).getSource()).isEqualTo("mailto");
        assertThat(db.dsl().fetchCount(INBOUND_MAIL, INBOUND_MAIL.KIND.in("ignored", "unreadable"))).isEqualTo(2);

        await(() -> seen().stream().allMatch(s -> s));
        Thread.sleep(1000); // several more polls
        assertThat(db.dsl().fetchCount(INBOUND_MAIL)).as("each mail once").isEqualTo(5);
        assertThat(seen()).hasSize(5);
    }

    private void deliver(byte[] raw) throws Exception {
        mailbox.deliver(new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw)));
    }

    private List<Boolean> seen() {
        try {
            return imap.getManagers().getImapHostManager().getInbox(mailbox).getMessages().stream()
                    .map(StoredMessage::getFlags).map(f -> f.contains(Flags.Flag.SEEN)).toList();
        } catch (com.icegreen.greenmail.store.FolderException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not within 20 s");
            }
            Thread.sleep(100);
        }
    }

    private String status(String externalId) {
        return db.dsl().select(MESSAGE.STATUS).from(MESSAGE).where(MESSAGE.CONTACT_ID.eq(contact(externalId))).fetchOne().value1();
    }

    private String messageId(String externalId) {
        return db.dsl().select(MESSAGE.PROVIDER_ID).from(MESSAGE).where(MESSAGE.CONTACT_ID.eq(contact(externalId)))
                .fetchOne().value1();
    }

    private String token(String externalId) {
        return db.dsl().select(INVITATION.TOKEN).from(INVITATION).where(INVITATION.CONTACT_ID.eq(contact(externalId)))
                .fetchOne().value1();
    }

    private long contact(String externalId) {
        return db.dsl().select(CONTACT.ID).from(CONTACT).where(CONTACT.EXTERNAL_ID.eq(externalId)).fetchOne().value1();
    }
}
