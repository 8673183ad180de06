package io.surveycast.response;

import static io.surveycast.db.Tables.CONTACT;
import static io.surveycast.db.Tables.INVITATION;
import static io.surveycast.db.Tables.MESSAGE;
import static io.surveycast.db.Tables.RESPONSE;
import static io.surveycast.db.Tables.RESPONSE_HISTORY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.surveycast.App;
import io.surveycast.campaign.FatiguePolicy;
import io.surveycast.plan.Planner;
import io.surveycast.schedule.DueRunner;
import io.surveycast.support.Fixtures;
import io.surveycast.support.FreshDatabase;
import io.surveycast.support.HookReceiver;
import io.surveycast.support.MutableClock;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.net.CookieManager;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * End to end: a served surveycast sends the invitation through GreenMail; the score link in the
 * email is followed by a real HTTP client; the page posts the score and the comment; the response,
 * its history, the cancelled reminders, the signed webhooks and the detractor alert are checked.
 */
class SurveyPageTest {
    static final Instant T = Instant.parse("2026-06-01T12:00:00Z");
    static final ObjectMapper JSON = new ObjectMapper();
    static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    @RegisterExtension
    final FreshDatabase db = new FreshDatabase();
    final MutableClock clock = new MutableClock(T);
    GreenMail smtp;
    HookReceiver hooks;
    Main serve;
    int port;
    HttpClient http;

    @BeforeEach
    void serveWithOneWelcomeCampaign() throws Exception {
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        smtp.start();
        hooks = new HookReceiver();
        Fixtures.contacts(db.dsl(), clock, """
                external_id,email,name,locale,onboarded_at,owner_email
                a,ann@example.com,Ann Lee,en,2026-05-31T12:00:00Z,owner@acme.example
                b,bob@example.com,Bob Martin,fr,2026-05-31T12:00:00Z,owner@acme.example
                """);
        Fixtures.campaignWithLocalWebhook(db.dsl(), clock, """
                key: welcome
                name: Welcome survey
                trigger: {type: onboarding, offset: P1D}
                channels: [email]
                question: How likely are you to recommend Acme to a friend?
                templates: {email: nps-invite}
                reminders: [{after: P3D, channel: email}]
                expires-after: P14D
                alerts: {webhook: %s, notify-owner: true}
                """.formatted(hooks.url("/slack")));
        new DueRunner(db.dsl(), new Planner(FatiguePolicy.DEFAULT)).runAt(T);
        port = freePort();
        serve = App.camel(db.settings(Map.of(
                "SURVEYCAST_HTTP_PORT", Integer.toString(port),
                "SURVEYCAST_HTTP_HOST", "127.0.0.1",
                "SURVEYCAST_PUBLIC_URL", "http://127.0.0.1:" + port,
                "SURVEYCAST_SMTP_HOST", "127.0.0.1",
                "SURVEYCAST_SMTP_PORT", Integer.toString(smtp.getSmtp().getPort()),
                "SURVEYCAST_SMTP_TLS", "none",
                "SURVEYCAST_MAIL_FROM", "Acme Surveys <surveys@acme.example>",
                "SURVEYCAST_WEBHOOK_URLS", hooks.url("/hooks"),
                "SURVEYCAST_WEBHOOK_SECRET", "s3cret",
                "SURVEYCAST_WEBHOOK_ALLOW_PRIVATE", "true")), db.database(), clock);
        serve.start();
        http = HttpClient.newBuilder().cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NEVER).build();
        assertThat(smtp.waitForIncomingEmail(30_000, 2)).as("both invitations sent").isTrue();
    }

    @AfterEach
    void stop() throws Exception {
        serve.stop();
        hooks.close();
        smtp.stop();
    }

    @Test
    void anAnswerIsCreditedToTheMessageWhoseLinkWasUsedAndReportsCountItsChannel() throws Exception {
        // issue 19.5: Ann's invitation counts as an SMS-first one; the answer comes through the email's link
        long annsEmail = db.dsl().select(MESSAGE.ID).from(MESSAGE).join(CONTACT).on(CONTACT.ID.eq(MESSAGE.CONTACT_ID))
                .where(CONTACT.EXTERNAL_ID.eq("a")).fetchSingle(MESSAGE.ID);
        long bobsEmail = db.dsl().select(MESSAGE.ID).from(MESSAGE).join(CONTACT).on(CONTACT.ID.eq(MESSAGE.CONTACT_ID))
                .where(CONTACT.EXTERNAL_ID.eq("b")).fetchSingle(MESSAGE.ID);
        db.dsl().update(INVITATION).set(INVITATION.CHANNEL, "sms").execute();
        String link = scoreLink("ann@example.com", 9);
        assertThat(link).endsWith("?score=9&via=" + annsEmail);
        HttpResponse<String> page = get(link);
        Matcher via = Pattern.compile("name=\"via\" value=\"([^\"]+)\"").matcher(page.body());
        assertThat(via.find()).as("the form carries the signed message id").isTrue();
        assertThat(via.group(1)).startsWith(annsEmail + ":");
        String action = link.substring(0, link.indexOf('?'));
        // Bob's message id with the signature of Ann's is not taken
        String bobs = scoreLink("bob@example.com", 7);
        String forged = bobsEmail + via.group(1).substring(via.group(1).indexOf(':'));
        assertThat(post(bobs.substring(0, bobs.indexOf('?')), "step=score&score=7&csrf=" + csrf(get(bobs)) + "&via="
                + enc(forged)).statusCode()).isEqualTo(303);
        assertThat(post(action, "step=score&score=9&csrf=" + csrf(page) + "&via=" + enc(via.group(1))).statusCode())
                .isEqualTo(303);

        Map<String, Long> credited = new java.util.TreeMap<>();
        db.dsl().select(CONTACT.EXTERNAL_ID, RESPONSE.VIA_MESSAGE_ID).from(RESPONSE)
                .join(INVITATION).on(INVITATION.ID.eq(RESPONSE.INVITATION_ID)).join(CONTACT).on(CONTACT.ID.eq(INVITATION.CONTACT_ID))
                .forEach(r -> credited.put(r.value1(), r.value2() == null ? -1L : r.value2()));
        assertThat(credited).containsExactlyInAnyOrderEntriesOf(Map.of("a", annsEmail, "b", -1L));

        io.surveycast.support.CliRun report = io.surveycast.support.CliRun.run(db.settings(), "report", "--by", "channel",
                "--format", "json");
        assertThat(report.exitCode()).as(report.err()).isZero();
        var rows = new com.fasterxml.jackson.databind.ObjectMapper().readTree(report.out());
        Map<String, String> responded = new java.util.TreeMap<>();
        for (var row : rows.isArray() ? rows : rows.path("rows")) {
            responded.put(row.path("group").asText(row.path("channel").asText()), row.path("responded").asText());
        }
        assertThat(responded).as(report.out()).containsEntry("email", "1").containsEntry("sms", "1");
    }

    @Test
    void theScoreLinkOnlyShowsThePageWhichPostsScoreThenCommentAndTheLoopIsClosed() throws Exception {
        String link = scoreLink("ann@example.com", 3);
        assertThat(link).startsWith("http://127.0.0.1:" + port + "/s/");

        HttpResponse<String> page = get(link);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Cache-Control")).as("a page with a token is not cached").hasValue("no-store");
        assertThat(page.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
        assertThat(page.body()).contains("How likely are you to recommend Acme to a friend?")
                .contains("id=\"score-3\" name=\"score\" value=\"3\" checked").contains("requestSubmit()");
        assertThat(get(link).statusCode()).isEqualTo(200);
        assertThat(db.dsl().fetchCount(RESPONSE)).as("a GET records nothing").isZero();

        String action = link.substring(0, link.indexOf('?'));
        assertThat(post(action, "step=score&score=3&csrf=forged").statusCode()).isEqualTo(403);
        assertThat(post(action, "step=score&score=3").statusCode()).as("no form token").isEqualTo(403);
        String bobs = scoreLink("bob@example.com", 3);
        String bobsForm = csrf(get(bobs));
        assertThat(post(action, "step=score&score=3&csrf=" + bobsForm).statusCode()).as("another survey's form token")
                .isEqualTo(403);
        assertThat(db.dsl().fetchCount(RESPONSE)).isZero();

        HttpResponse<String> scored = post(action, "step=score&score=3&csrf=" + csrf(page));
        assertThat(scored.statusCode()).isEqualTo(303);
        Instant answeredAt = Instant.now();
        HttpResponse<String> why = get(action);
        assertThat(why.body()).contains("You gave us 3 out of 10").contains("name=\"comment\"");
        var response = db.dsl().selectFrom(RESPONSE).fetchSingle();
        assertThat(response.getScore()).isEqualTo((short) 3);
        assertThat(response.getChannel()).isEqualTo("email");
        assertThat(response.getReceivedAt().toInstant()).as("from the process clock").isBetween(T, T.plus(Duration.ofMinutes(5)));
        assertThat(page.headers().firstValue("Set-Cookie")).as("no cookie needed").isEmpty();
        assertThat(db.dsl().select(INVITATION.STATUS).from(INVITATION).where(INVITATION.ID.eq(response.getInvitationId()))
                .fetchSingle().value1()).isEqualTo("responded");

        assertThat(post(action, "step=comment&comment=" + enc("Support takes <days> to answer") + "&csrf=" + csrf(why))
                .statusCode()).isEqualTo(303);
        HttpResponse<String> thanks = get(action + "?done=1");
        assertThat(thanks.body()).contains("Thank you for your feedback").contains("Support takes &lt;days&gt; to answer");
        assertThat(db.dsl().selectFrom(RESPONSE).fetchSingle().getComment()).isEqualTo("Support takes <days> to answer");

        // the detractor alert: a Slack-style POST within 60 s, with the comment given after the score
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (hooks.received("/slack").isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(hooks.received("/slack")).hasSize(1);
        HookReceiver.Received alert = hooks.received("/slack").get(0);
        assertThat(Duration.between(answeredAt, alert.at())).isLessThan(Duration.ofSeconds(60));
        JsonNode slack = JSON.readTree(alert.body());
        assertThat(slack.get("text").asText()).contains("Ann Lee").contains("3/10").contains("Support takes <days> to answer")
                .contains("/responses/" + response.getId());
        assertThat(smtp.waitForIncomingEmail(10_000, 3)).as("an email to the account owner").isTrue();
        MimeMessage ownerMail = Arrays.stream(smtp.getReceivedMessages())
                .filter(m -> recipient(m).equals("owner@acme.example")).findFirst().orElseThrow();
        assertThat(ownerMail.getSubject()).contains("Ann Lee").contains("3/10");

        // signed response webhooks: created, then updated with the comment (and the detractor's case.opened)
        var all = hooks.received("/hooks");
        for (HookReceiver.Received hook : all) {
            assertThat(hook.header("X-Surveycast-Signature")).isEqualTo("sha256=" + hmac("s3cret", hook.body()));
        }
        assertThat(all).extracting(r -> r.header("X-Surveycast-Event")).filteredOn(e -> e.startsWith("case.")).containsExactly("case.opened");
        // in event order (the created one is queued first), though a slow first attempt retried
        // on a loaded machine can deliver them the other way round: webhooks carry no order promise
        var webhooks = all.stream().filter(r -> r.header("X-Surveycast-Event").startsWith("response."))
                .sorted(java.util.Comparator.comparing(r -> r.header("X-Surveycast-Event"))).toList();
        assertThat(webhooks).extracting(r -> JSON.readTree(r.body()).get("event").asText())
                .containsExactly("response.created", "response.updated");
        for (HookReceiver.Received hook : webhooks) {
            assertThat(hook.header("X-Surveycast-Signature")).isEqualTo("sha256=" + hmac("s3cret", hook.body()));
        }
        assertThat(JSON.readTree(webhooks.get(1).body()).at("/response/comment").asText())
                .isEqualTo("Support takes <days> to answer");
        assertThat(JSON.readTree(webhooks.get(0).body()).at("/contact/external_id").asText()).isEqualTo("a");

        // the score can change for 24 hours, the history keeps every answer; then it is final
        clock.advance(Duration.ofHours(23));
        assertThat(post(action, "step=score&score=7&csrf=" + csrf(get(action + "?change=1"))).statusCode()).isEqualTo(303);
        assertThat(db.dsl().selectFrom(RESPONSE).fetchSingle().getScore()).isEqualTo((short) 7);
        clock.advance(Duration.ofHours(2));
        assertThat(get(action).body()).doesNotContain("name=\"score\"");
        HttpResponse<String> closed = post(action, "step=score&score=10&csrf=" + csrf(why));
        assertThat(closed.body()).contains("now final");
        assertThat(db.dsl().selectFrom(RESPONSE).fetchSingle().getScore()).isEqualTo((short) 7);
        assertThat(db.dsl().select(RESPONSE_HISTORY.SCORE).from(RESPONSE_HISTORY).orderBy(RESPONSE_HISTORY.ID).fetch(RESPONSE_HISTORY.SCORE))
                .containsExactly((short) 3, (short) 3, (short) 7);

        // the reminder step comes: Bob, who did not answer, gets one; Ann does not
        clock.set(T.plus(Duration.ofDays(3)).plusSeconds(60));
        new DueRunner(db.dsl(), new Planner(FatiguePolicy.DEFAULT)).runAt(clock.instant());
        assertThat(smtp.waitForIncomingEmail(30_000, 4)).isTrue();
        Thread.sleep(1500);
        assertThat(Arrays.stream(smtp.getReceivedMessages()).map(SurveyPageTest::recipient))
                .containsExactlyInAnyOrder("ann@example.com", "bob@example.com", "owner@acme.example", "bob@example.com");
        long annId = db.dsl().select(CONTACT.ID).from(CONTACT).where(CONTACT.EXTERNAL_ID.eq("a")).fetchSingle().value1();
        assertThat(db.dsl().fetchCount(MESSAGE, MESSAGE.CONTACT_ID.eq(annId), MESSAGE.KIND.eq("reminder"),
                MESSAGE.STATUS.in("queued", "sent"))).isZero();
    }

    @Test
    void anExpiredInvitationShowsAFriendlyPageAndRecordsNothingAndAnUnknownTokenIsA404() throws Exception {
        String link = scoreLink("bob@example.com", 9);
        String action = link.substring(0, link.indexOf('?'));
        HttpResponse<String> page = get(link);
        assertThat(page.body()).as("French contact, French page").contains("Très probable").contains("lang=\"fr\"");
        clock.advance(Duration.ofDays(15));
        HttpResponse<String> expired = get(link);
        assertThat(expired.statusCode()).isEqualTo(200);
        assertThat(expired.body()).contains("Cette enquête est close").doesNotContain("name=\"score\"");
        assertThat(post(action, "step=score&score=9&csrf=" + csrf(page)).body()).contains("Cette enquête est close");
        assertThat(db.dsl().fetchCount(RESPONSE)).isZero();

        HttpResponse<String> unknown = get("http://127.0.0.1:" + port + "/s/no-such-token?score=9");
        assertThat(unknown.statusCode()).isEqualTo(404);
    }

    @Test
    void anAnswerDatedBeforeItsInvitationWasSentIsRefusedWithA409AndNothingIsStored() throws Exception {
        // issue 12.3: a server whose clock is behind the one that sent the survey (a simulated run-due --at)
        String link = scoreLink("ann@example.com", 9);
        String action = link.substring(0, link.indexOf('?'));
        HttpResponse<String> page = get(link);
        assertThat(page.statusCode()).isEqualTo(200);
        clock.set(T.minus(Duration.ofHours(1)));

        HttpResponse<String> early = post(action, "step=score&score=9&csrf=" + csrf(page));

        assertThat(early.statusCode()).isEqualTo(409);
        assertThat(early.body()).contains("an answer cannot come before its invitation").contains("SURVEYCAST_CLOCK");
        assertThat(db.dsl().fetchCount(RESPONSE)).isZero();
        assertThat(db.dsl().fetchCount(RESPONSE_HISTORY)).isZero();
    }

    String scoreLink(String to, int score) throws Exception {
        MimeMessage mail = Arrays.stream(smtp.getReceivedMessages()).filter(m -> recipient(m).equals(to)).findFirst()
                .orElseThrow();
        String html = (String) ((Multipart) mail.getContent()).getBodyPart(1).getContent();
        Matcher m = Pattern.compile("href=\"(http://127\\.0\\.0\\.1:" + port + "/s/[^\"?]+\\?score=" + score
                + "(?:&amp;via=\\d+)?)\"").matcher(html);
        assertThat(m.find()).as("score link %s in %s", score, html).isTrue();
        // the token is stored with the sent record, a few milliseconds after the server took the email
        String token = m.group(1).replaceAll(".*/s/([^?]+)\\?.*", "$1");
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (db.dsl().fetchCount(io.surveycast.db.Tables.INVITATION, io.surveycast.db.Tables.INVITATION.TOKEN.eq(token)) == 0
                && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        return m.group(1).replace("&amp;", "&");
    }

    HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String url, String form) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static String csrf(HttpResponse<String> page) {
        Matcher m = CSRF.matcher(page.body());
        assertThat(m.find()).as("a form in %s", page.body()).isTrue();
        return m.group(1);
    }

    static String enc(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static String recipient(MimeMessage m) {
        try {
            return ((jakarta.mail.internet.InternetAddress) m.getAllRecipients()[0]).getAddress();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String hmac(String secret, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }

    static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
