package io.surveycast.dispatch;

import static io.surveycast.db.Tables.INVITATION;
import static io.surveycast.db.Tables.MESSAGE;
import static io.surveycast.db.Tables.SUPPRESSION;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.surveycast.campaign.FatiguePolicy;
import io.surveycast.plan.Planner;
import io.surveycast.schedule.DueRunner;
import io.surveycast.support.Fixtures;
import io.surveycast.support.FreshDatabase;
import io.surveycast.support.ScriptedSmtpServer;
import io.surveycast.support.SendingNode;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Email dispatch against real SMTP servers: GreenMail, and a scripted one for the rejections GreenMail never gives. */
class EmailDispatchTest {
    static final Instant T = Instant.parse("2026-06-01T12:00:00Z");
    static final Clock CLOCK = Clock.fixed(T, ZoneOffset.UTC);

    @RegisterExtension
    final FreshDatabase db = new FreshDatabase();
    GreenMail smtp;

    @BeforeEach
    void contactsAndCampaign() {
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        smtp.start();
        Fixtures.contacts(db.dsl(), CLOCK, """
                external_id,email,name,locale,onboarded_at
                a,ann@example.com,Ann Lee,en,2026-05-31T12:00:00Z
                b,bob@example.com,"Bob <b> & Co",fr,2026-05-31T12:00:00Z
                c,cy@example.com,,,2026-05-31T12:00:00Z
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
        assertThat(db.dsl().fetchCount(MESSAGE, MESSAGE.STATUS.eq("queued"))).isEqualTo(3);
    }

    @AfterEach
    void stop() {
        smtp.stop();
    }

    SendingNode node(int port) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("SURVEYCAST_SMTP_HOST", "127.0.0.1");
        env.put("SURVEYCAST_SMTP_PORT", Integer.toString(port));
        env.put("SURVEYCAST_SMTP_TLS", "none");
        env.put("SURVEYCAST_MAIL_FROM", "Acme Surveys <surveys@acme.example>");
        env.put("SURVEYCAST_PUBLIC_URL", "https://nps.acme.example/");
        env.put("SURVEYCAST_EMAIL_RATE", "0");
        env.put("SURVEYCAST_DISPATCH_BACKOFF", "PT1M");
        return new SendingNode(db.settings(env), CLOCK);
    }

    @Test
    void eachMessageArrivesOnceWithHeadersLinksAndBothParts() throws Exception {
        try (SendingNode node = node(smtp.getSmtp().getPort())) {
            DispatchCounts counts = node.dispatcher().drain(T);
            assertThat(counts.sent()).containsEntry("email", 3L);
            assertThat(node.dispatcher().drain(T).total()).as("nothing twice").isZero();
        }
        MimeMessage[] received = smtp.getReceivedMessages();
        assertThat(received).hasSize(3);

        MimeMessage ann = to(received, "ann@");
        var row = db.dsl().select(MESSAGE.ID, MESSAGE.PROVIDER_ID, MESSAGE.SENT_AT, INVITATION.ID, INVITATION.TOKEN,
                        INVITATION.STATUS)
                .from(MESSAGE).join(INVITATION).on(INVITATION.ID.eq(MESSAGE.INVITATION_ID))
                .join(io.surveycast.db.Tables.CONTACT).on(io.surveycast.db.Tables.CONTACT.ID.eq(MESSAGE.CONTACT_ID))
                .where(io.surveycast.db.Tables.CONTACT.EXTERNAL_ID.eq("a")).fetchOne();
        String token = row.get(INVITATION.TOKEN);
        assertThat(token).as("derived from the invitation id, stored with the sent record")
                .isEqualTo(new SurveyTokens(() -> (String) db.dsl().fetchValue(
                        "select value from app_secret where name = 'survey-token'"))
                        .forInvitation(row.get(INVITATION.ID)));
        assertThat(row.get(INVITATION.STATUS)).isEqualTo("sent");
        assertThat(ann.getMessageID()).isEqualTo("<m" + row.get(MESSAGE.ID) + ".i" + row.get(INVITATION.ID) + "@acme.example>")
                .isEqualTo(row.get(MESSAGE.PROVIDER_ID));
        assertThat(ann.getSentDate().toInstant()).isBetween(T, T.plusSeconds(5));
        assertThat(row.get(MESSAGE.SENT_AT).toInstant()).isBetween(T, T.plusSeconds(5));
        assertThat(ann.getHeader("From", null)).isEqualTo("Acme Surveys <surveys@acme.example>");
        assertThat(ann.getSubject()).isEqualTo("How likely are you to recommend Acme?");
        assertThat(ann.getHeader("List-Unsubscribe", null)).isEqualTo("<https://nps.acme.example/u/" + token
                + ">, <mailto:surveys@acme.example?subject=unsubscribe%20" + token + ">");
        assertThat(ann.getHeader("List-Unsubscribe-Post", null)).isEqualTo("List-Unsubscribe=One-Click");

        assertThat(ann.isMimeType("multipart/alternative")).isTrue();
        Multipart parts = (Multipart) ann.getContent();
        assertThat(parts.getCount()).isEqualTo(2);
        assertThat(parts.getBodyPart(0).isMimeType("text/plain")).isTrue();
        assertThat(parts.getBodyPart(1).isMimeType("text/html")).isTrue();
        String text = (String) parts.getBodyPart(0).getContent();
        String html = (String) parts.getBodyPart(1).getContent();
        assertThat(text).contains("Hi Ann Lee,").contains("https://nps.acme.example/s/" + token);
        Matcher links = Pattern.compile("href=\"https://nps\\.acme\\.example/s/" + Pattern.quote(token) + "\\?score=(\\d+)&amp;via=\\d+\"")
                .matcher(html);
        int expected = 0;
        while (links.find()) {
            assertThat(Integer.parseInt(links.group(1))).isEqualTo(expected++);
        }
        assertThat(expected).as("eleven score links, 0 to 10 in order").isEqualTo(11);
        assertThat(html).doesNotContain("<script");

        MimeMessage bob = to(received, "bob@");
        String bobHtml = (String) ((Multipart) bob.getContent()).getBodyPart(1).getContent();
        assertThat(bobHtml).as("French template, name escaped").contains("Bob &lt;b&gt; &amp; Co").doesNotContain("<b> &");
        assertThat(bobHtml).contains("lang=\"fr\"");
    }

    private static MimeMessage to(MimeMessage[] received, String address) throws Exception {
        for (MimeMessage m : received) {
            if (m.getAllRecipients()[0].toString().contains(address)) {
                return m;
            }
        }
        throw new AssertionError("no email to " + address);
    }

    @Test
    void whenTheSmtpServerIsDownMessagesWaitAndArriveOnceItIsBack() throws Exception {
        int port = smtp.getSmtp().getPort();
        smtp.stop();
        try (SendingNode node = node(port)) {
            DispatchCounts down = node.dispatcher().drain(T);
            assertThat(down.total()).isZero();
            assertThat(down.retried()).containsEntry("email", 3L);
            assertThat(db.dsl().fetchCount(MESSAGE, MESSAGE.STATUS.eq("queued"), MESSAGE.ATTEMPTS.eq(1),
                    MESSAGE.LAST_ERROR.isNotNull(), MESSAGE.NOT_BEFORE.gt(OffsetDateTime.ofInstant(T, ZoneOffset.UTC))))
                    .isEqualTo(3);

            smtp = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
            smtp.start();
            Instant later = T.plus(Duration.ofHours(1));
            assertThat(node.dispatcher().drain(later).sent()).containsEntry("email", 3L);
            assertThat(node.dispatcher().drain(later.plusSeconds(3600)).total()).isZero();
        }
        assertThat(smtp.getReceivedMessages()).hasSize(3);
        assertThat(db.dsl().fetchCount(MESSAGE, MESSAGE.STATUS.eq("sent"), MESSAGE.LAST_ERROR.isNull())).isEqualTo(3);
    }

    @Test
    void anUnknownMailboxFailsForGoodAndSuppressesEmailForTheContact() throws Exception {
        try (ScriptedSmtpServer server = new ScriptedSmtpServer("550 5.1.1 <x@example.com>: Recipient address rejected: User unknown");
             SendingNode node = node(server.port())) {
            DispatchCounts counts = node.dispatcher().drain(T);
            assertThat(counts.failed()).containsEntry("email", 3L);
            assertThat(server.accepted()).isZero();
        }
        assertThat(db.dsl().fetchCount(MESSAGE, MESSAGE.STATUS.eq("failed"), MESSAGE.LAST_ERROR.contains("5.1.1")))
                .isEqualTo(3);
        assertThat(db.dsl().fetchCount(INVITATION, INVITATION.STATUS.eq("failed"))).isEqualTo(3);
        assertThat(db.dsl().fetchCount(SUPPRESSION, SUPPRESSION.REASON.eq("hard_bounce"), SUPPRESSION.CHANNEL.eq("email")))
                .isEqualTo(3);
    }

    @Test
    void aPolicyRejectionFailsWithoutSuppressingAndATemporaryOneIsRetried() throws Exception {
        try (ScriptedSmtpServer server = new ScriptedSmtpServer("554 5.7.1 Message rejected by policy");
             SendingNode node = node(server.port())) {
            assertThat(node.dispatcher().drain(T).failed()).containsEntry("email", 3L);
        }
        assertThat(db.dsl().fetchCount(SUPPRESSION)).isZero();

        db.dsl().update(MESSAGE).set(MESSAGE.STATUS, "queued").execute();
        db.dsl().update(INVITATION).set(INVITATION.STATUS, "planned").execute();
        try (ScriptedSmtpServer server = new ScriptedSmtpServer("451 4.3.0 Temporary local problem, try again");
             SendingNode node = node(server.port())) {
            assertThat(node.dispatcher().drain(T).retried()).containsEntry("email", 3L);
        }
        assertThat(db.dsl().fetchCount(MESSAGE, MESSAGE.STATUS.eq("queued"), MESSAGE.LAST_ERROR.contains("451")))
                .isEqualTo(3);
    }

    @Test
    void aContactWhoUnsubscribedAfterPlanningIsNotSentTo() throws Exception {
        long ann = db.dsl().select(io.surveycast.db.Tables.CONTACT.ID).from(io.surveycast.db.Tables.CONTACT)
                .where(io.surveycast.db.Tables.CONTACT.EXTERNAL_ID.eq("a")).fetchOne().value1();
        db.dsl().insertInto(SUPPRESSION).set(SUPPRESSION.CONTACT_ID, ann).set(SUPPRESSION.CHANNEL, "email")
                .set(SUPPRESSION.REASON, "unsubscribed").set(SUPPRESSION.AT, OffsetDateTime.ofInstant(T, ZoneOffset.UTC))
                .execute();
        try (SendingNode node = node(smtp.getSmtp().getPort())) {
            DispatchCounts counts = node.dispatcher().drain(T);
            assertThat(counts.sent()).containsEntry("email", 2L);
            assertThat(counts.cancelled()).containsEntry("suppressed", 1L);
        }
        assertThat(smtp.getReceivedMessages()).hasSize(2);
        assertThat(db.dsl().fetchCount(INVITATION, INVITATION.STATUS.eq("skipped"), INVITATION.SKIP_REASON.eq("suppressed")))
                .isEqualTo(1);
        // an earlier attempt may have reached the server just before a crash: its link must work
        assertThat(db.dsl().fetchCount(INVITATION, INVITATION.TOKEN.isNull())).as("every token stored").isZero();
    }

    /**
     * The checks just before sending read the contact's history as it is then: a survey of another
     * campaign that went out since planning cancels the invite (fatigue), and a full weekly cap holds
     * a message back until the oldest send of the week leaves the window.
     */
    @Test
    void historySincePlanningIsCheckedJustBeforeSending() throws Exception {
        var dsl = db.dsl();
        Fixtures.campaign(dsl, CLOCK, """
                key: other
                name: Other survey
                trigger: {type: event, event: ticket_closed}
                channels: [email]
                question: How did we do?
                templates: {email: nps-invite}
                """);
        long otherCampaign = dsl.fetchOne("select id from campaign where key = 'other'").get(0, Long.class);
        long ann = dsl.fetchOne("select id from contact where external_id = 'a'").get(0, Long.class);
        long bob = dsl.fetchOne("select id from contact where external_id = 'b'").get(0, Long.class);
        // Ann: another campaign's invite went out yesterday
        sentBefore(ann, otherCampaign, 1, "invite", T.minus(java.time.Duration.ofDays(1)));
        // Bob: three reminders of other cycles this week (the cap is 3 a week), the oldest 5 days ago
        for (int cycle = 2; cycle <= 4; cycle++) {
            sentBefore(bob, otherCampaign, cycle, "reminder", T.minus(java.time.Duration.ofDays(7 - cycle)));
        }
        try (SendingNode node = node(smtp.getSmtp().getPort())) {
            DispatchCounts counts = node.dispatcher().drain(T);
            assertThat(counts.sent()).containsEntry("email", 1L);
            assertThat(counts.cancelled()).containsEntry("fatigue", 1L);
            assertThat(counts.deferred()).containsEntry("fatigue", 1L);
        }
        assertThat(smtp.getReceivedMessages()).extracting(m -> m.getAllRecipients()[0].toString())
                .containsExactly("cy@example.com");
        assertThat(dsl.fetchOne("select not_before from message m join contact c on c.id = m.contact_id "
                + "where c.external_id = 'b' and m.status = 'queued'").get(0, OffsetDateTime.class).toInstant())
                .as("when Bob's oldest send of the week leaves the 7 days")
                .isEqualTo(T.minus(java.time.Duration.ofDays(5)).plus(java.time.Duration.ofDays(7)));
    }

    /** A message of another invitation of the contact, sent at {@code at}. */
    private void sentBefore(long contactId, long campaignId, int cycle, String kind, Instant at) {
        String time = at.toString();
        long invitation = db.dsl().fetchOne("""
                insert into invitation (campaign_id, contact_id, cycle, channel, status, trigger_at, planned_at,
                                        invite_at, sent_at)
                values (?, ?, ?, 'email', 'sent', ?::timestamptz, ?::timestamptz, ?::timestamptz, ?::timestamptz)
                returning id""",
                campaignId, contactId, "event:" + cycle, time, time, time, time).get(0, Long.class);
        db.dsl().execute("""
                insert into message (invitation_id, contact_id, kind, step, channel, status, not_before, sent_at,
                                     created_at, updated_at)
                values (?, ?, ?, ?, 'email', 'sent', ?::timestamptz, ?::timestamptz, ?::timestamptz, ?::timestamptz)""",
                invitation, contactId, kind, kind.equals("invite") ? 0 : 1, time, time, time, time);
    }

    @Test
    void connectionsAreReusedWithoutAPingBeforeEachMessage() throws Exception {
        try (ScriptedSmtpServer server = new ScriptedSmtpServer("250 2.1.5 ok")) {
            Map<String, String> env = new HashMap<>();
            env.put("SURVEYCAST_SMTP_HOST", "127.0.0.1");
            env.put("SURVEYCAST_SMTP_PORT", Integer.toString(server.port()));
            env.put("SURVEYCAST_SMTP_TLS", "none");
            env.put("SURVEYCAST_MAIL_FROM", "surveys@acme.example");
            env.put("SURVEYCAST_EMAIL_RATE", "0");
            env.put("SURVEYCAST_EMAIL_CONCURRENCY", "1");
            try (SendingNode node = new SendingNode(db.settings(env), CLOCK)) {
                assertThat(node.dispatcher().drain(T).sent()).containsEntry("email", 3L);
            }
            assertThat(server.accepted()).isEqualTo(3);
            assertThat(server.connections()).as("one connection for the three").isEqualTo(1);
            assertThat(server.commands("NOOP")).as("no NOOP round trip per message").isZero();
        }
    }

    @Test
    void startTlsUpgradesThePlainConnectionBeforeSending() throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.requiringStartTls()) {
            Map<String, String> env = new HashMap<>();
            env.put("SURVEYCAST_SMTP_HOST", "127.0.0.1");
            env.put("SURVEYCAST_SMTP_PORT", Integer.toString(server.port()));
            env.put("SURVEYCAST_SMTP_TLS", "starttls");
            env.put("SURVEYCAST_SMTP_TRUST", "127.0.0.1"); // the test certificate is self-signed
            env.put("SURVEYCAST_MAIL_FROM", "surveys@acme.example");
            env.put("SURVEYCAST_EMAIL_RATE", "0");
            try (SendingNode node = new SendingNode(db.settings(env), CLOCK)) {
                assertThat(node.dispatcher().drain(T).sent()).containsEntry("email", 3L);
            }
            assertThat(server.acceptedOverTls()).isEqualTo(3);
        }
    }

    @Test
    void startTlsIsRequiredSoAServerWithoutItGetsNothingInTheClear() throws Exception {
        try (ScriptedSmtpServer plain = new ScriptedSmtpServer("250 2.1.5 ok")) {
            Map<String, String> env = new HashMap<>();
            env.put("SURVEYCAST_SMTP_HOST", "127.0.0.1");
            env.put("SURVEYCAST_SMTP_PORT", Integer.toString(plain.port()));
            env.put("SURVEYCAST_SMTP_TLS", "starttls");
            env.put("SURVEYCAST_EMAIL_RATE", "0");
            env.put("SURVEYCAST_DISPATCH_BACKOFF", "PT1M");
            try (SendingNode node = new SendingNode(db.settings(env), CLOCK)) {
                assertThat(node.dispatcher().drain(T).sent()).doesNotContainKey("email");
            }
            assertThat(plain.accepted()).isZero();
            assertThat(db.dsl().fetchCount(MESSAGE, MESSAGE.STATUS.eq("queued"), MESSAGE.LAST_ERROR.isNotNull()))
                    .as("retried later, not lost").isEqualTo(3);
        }
    }

    @Test
    void smtpsWithAuthenticationSendsAndABadPasswordIsRetriedNotFailed() throws Exception {
        GreenMail smtps = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTPS).dynamicPort());
        smtps.start();
        smtps.setUser("bot@acme.example", "bot", "s3cret");
        try {
            Map<String, String> env = new HashMap<>();
            env.put("SURVEYCAST_SMTP_HOST", "127.0.0.1");
            env.put("SURVEYCAST_SMTP_PORT", Integer.toString(smtps.getSmtps().getPort()));
            env.put("SURVEYCAST_SMTP_TLS", "smtps");
            env.put("SURVEYCAST_SMTP_TRUST", "127.0.0.1"); // GreenMail's certificate is self-signed
            env.put("SURVEYCAST_SMTP_USERNAME", "bot");
            env.put("SURVEYCAST_SMTP_PASSWORD", "wrong");
            env.put("SURVEYCAST_EMAIL_RATE", "0");
            try (SendingNode node = new SendingNode(db.settings(env), CLOCK)) {
                DispatchCounts refused = node.dispatcher().drain(T);
                assertThat(refused.retried()).containsEntry("email", 3L);
            }
            assertThat(smtps.getReceivedMessages()).isEmpty();
            assertThat(db.dsl().select(MESSAGE.LAST_ERROR).from(MESSAGE).fetch(MESSAGE.LAST_ERROR))
                    .as("refused at AUTH, over TLS").allSatisfy(e -> assertThat(e).containsIgnoringCase("authentication"));

            env.put("SURVEYCAST_SMTP_PASSWORD", "s3cret");
            try (SendingNode node = new SendingNode(db.settings(env), CLOCK)) {
                assertThat(node.dispatcher().drain(T.plus(Duration.ofHours(1))).sent()).containsEntry("email", 3L);
            }
            assertThat(smtps.getReceivedMessages()).hasSize(3);
        } finally {
            smtps.stop();
        }
    }

    @Test
    void withADkimKeyEachEmailCarriesAValidSignature(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        var generator = java.security.KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        var keys = generator.generateKeyPair();
        java.nio.file.Path keyFile = dir.resolve("dkim.pem");
        java.nio.file.Files.writeString(keyFile, "-----BEGIN PRIVATE KEY-----\n"
                + java.util.Base64.getMimeEncoder().encodeToString(keys.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        Map<String, String> env = new HashMap<>();
        env.put("SURVEYCAST_SMTP_HOST", "127.0.0.1");
        env.put("SURVEYCAST_SMTP_PORT", Integer.toString(smtp.getSmtp().getPort()));
        env.put("SURVEYCAST_SMTP_TLS", "none");
        env.put("SURVEYCAST_MAIL_FROM", "surveys@acme.example");
        env.put("SURVEYCAST_DKIM_KEY_FILE", keyFile.toString());
        env.put("SURVEYCAST_DKIM_DOMAIN", "acme.example");
        env.put("SURVEYCAST_DKIM_SELECTOR", "mail");
        try (SendingNode node = new SendingNode(db.settings(env), CLOCK)) {
            assertThat(node.dispatcher().drain(T).sent()).containsEntry("email", 3L);
        }
        MimeMessage received = smtp.getReceivedMessages()[0];
        String signature = unfold(received.getHeader("DKIM-Signature", null));
        Map<String, String> tags = new HashMap<>();
        for (String tag : signature.split(";")) {
            int eq = tag.indexOf('=');
            if (eq > 0) {
                tags.put(tag.substring(0, eq).strip(), tag.substring(eq + 1).replaceAll("\\s+", ""));
            }
        }
        assertThat(tags).containsEntry("d", "acme.example").containsEntry("s", "mail").containsEntry("a", "rsa-sha256")
                .containsEntry("c", "relaxed/relaxed");
        assertThat(received.getMessageID()).as("our Message-ID survives signing").startsWith("<m");

        // body hash over the body as delivered (relaxed canonicalisation, RFC 6376 3.4.4)
        String body = new String(received.getRawInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        StringBuilder canonical = new StringBuilder();
        for (String line : body.split("\r?\n", -1)) {
            canonical.append(line.replaceAll("[ \t]+", " ").replaceAll(" $", "")).append("\r\n");
        }
        String bodyCanonical = canonical.toString().replaceAll("(\r\n)+$", "") + "\r\n";
        byte[] hash = java.security.MessageDigest.getInstance("SHA-256")
                .digest(bodyCanonical.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(tags.get("bh")).isEqualTo(java.util.Base64.getEncoder().encodeToString(hash));

        // the signature over the signed headers (relaxed, RFC 6376 3.4.2), checked with the public key
        StringBuilder signed = new StringBuilder();
        for (String name : tags.get("h").split(":")) {
            String value = received.getHeader(name, null);
            if (value != null) {
                signed.append(name.toLowerCase()).append(':').append(relaxed(value)).append("\r\n");
            }
        }
        String rawSignature = received.getHeader("DKIM-Signature", null);
        signed.append("dkim-signature:").append(relaxed(rawSignature.replaceAll("b=[^;]*$", "b=")
                .replaceAll("(;\\s*b=)[^;]*", "$1")));
        var verifier = java.security.Signature.getInstance("SHA256withRSA");
        verifier.initVerify(keys.getPublic());
        verifier.update(signed.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(verifier.verify(java.util.Base64.getDecoder().decode(tags.get("b")))).isTrue();
    }

    private static String unfold(String value) {
        return value.replaceAll("\r?\n(?=[ \t])", "");
    }

    private static String relaxed(String value) {
        return unfold(value).replaceAll("[ \t]+", " ").strip();
    }
}
