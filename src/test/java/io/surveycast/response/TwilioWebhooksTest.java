package io.surveycast.response;

import static io.surveycast.db.Tables.CONTACT;
import static io.surveycast.db.Tables.INVITATION;
import static io.surveycast.db.Tables.MESSAGE;
import static io.surveycast.db.Tables.RESPONSE;
import static io.surveycast.db.Tables.RESPONSE_HISTORY;
import static io.surveycast.db.Tables.SMS_INBOUND;
import static io.surveycast.db.Tables.SUPPRESSION;
import static org.assertj.core.api.Assertions.assertThat;

import io.surveycast.App;
import io.surveycast.campaign.FatiguePolicy;
import io.surveycast.db.tables.records.MessageRecord;
import io.surveycast.dispatch.Dispatcher;
import io.surveycast.plan.Planner;
import io.surveycast.schedule.DueRunner;
import io.surveycast.support.Fixtures;
import io.surveycast.support.FreshDatabase;
import java.io.ByteArrayInputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.w3c.dom.Document;

/**
 * Twilio's webhooks through real HTTP calls to the running server, signed as Twilio signs them
 * (HMAC-SHA1 of the configured URL and the sorted POST parameters, with the auth token). The
 * public URL differs from the address the test calls, as behind a proxy: a signature made for the
 * address the server sees is refused.
 */
class TwilioWebhooksTest {
    static final Instant T = Instant.parse("2026-06-01T12:00:00Z"); // 13:00 in London, 14:00 in Paris
    static final String TOKEN = "test-auth-token-0123456789abcdef";
    static final String PUBLIC_URL = "https://nps.acme.example";
    static final String ANN = "+447911123456";
    static final String BOB = "+447911123457";
    static final String CHLOE = "+447911123458";
    static final String FANNY = "+33612345678";
    static final int port;

    static {
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @RegisterExtension
    final FreshDatabase db = new FreshDatabase(Map.of("SURVEYCAST_HTTP_PORT", String.valueOf(port),
            "SURVEYCAST_HTTP_HOST", "127.0.0.1", "SURVEYCAST_DUE_SCAN_INTERVAL", "PT1H",
            "SURVEYCAST_DISPATCH_INTERVAL", "3600000", "TWILIO_AUTH_TOKEN", TOKEN,
            "SURVEYCAST_PUBLIC_URL", PUBLIC_URL, "SURVEYCAST_COMPANY_NAME", "Acme"));
    final HttpClient http = HttpClient.newHttpClient();
    final MutableClock clock = new MutableClock(T);
    final AtomicInteger sids = new AtomicInteger();
    Main camel;

    @BeforeEach
    void inviteBySms() throws Exception {
        Fixtures.contacts(db.dsl(), clock, """
                external_id,phone,name,locale,timezone,onboarded_at
                ann,+447911123456,Ann,en,Europe/London,2026-05-31T12:00:00Z
                bob,+447911123457,Bob,en-GB,Europe/London,2026-05-31T12:00:00Z
                chloe,+447911123458,Chloe,,Europe/London,2026-05-31T12:00:00Z
                fanny,+33612345678,Fanny,fr-FR,Europe/Paris,2026-05-31T12:00:00Z
                """);
        Fixtures.campaign(db.dsl(), clock, """
                key: welcome
                name: Welcome survey
                trigger: {type: onboarding, offset: P1D}
                channels: [sms]
                question: How likely are you to recommend Acme?
                templates: {sms: nps-invite}
                reminders:
                  - {after: P3D, channel: sms}
                expires-after: P14D
                """);
        new DueRunner(db.dsl(), new Planner(FatiguePolicy.DEFAULT)).runAt(T);
        camel = App.camel(db.settings(), db.database(), clock);
        camel.start();
        assertThat(dispatcher().drain(T).sent()).containsEntry("sms", 4L);
        // the sends are stamped T plus the moments the pass took; replies come after them (one
        // dated before its invitation was sent would be refused)
        clock.set(T.plus(Duration.ofMinutes(1)));
    }

    @AfterEach
    void stop() {
        camel.stop();
    }

    @Test
    void aScoreThenWhyThenTheCommentAndRemindersAreCancelled() throws Exception {
        new DueRunner(db.dsl(), new Planner(FatiguePolicy.DEFAULT)).runAt(T.plus(Duration.ofDays(3)).plusSeconds(60));
        assertThat(reminder(ANN).getStatus()).as("the reminder is queued").isEqualTo("queued");
        clock.set(T.plus(Duration.ofDays(3)).plusSeconds(120));

        assertThat(reply(ANN, "9/10")).isEqualTo("Thanks! What is the main reason for your score of 9?");
        var response = response(ANN);
        assertThat(response.getScore()).isEqualTo((short) 9);
        assertThat(response.getChannel()).isEqualTo("sms");
        assertThat(response.getComment()).isNull();
        assertThat(response.getReceivedAt().toInstant()).isEqualTo(clock.instant());
        assertThat(invitation(ANN).getStatus()).isEqualTo("responded");
        assertThat(reminder(ANN).getStatus()).isEqualTo("cancelled");
        assertThat(reminder(ANN).getLastError()).isEqualTo("responded");
        assertThat(reminder(BOB).getStatus()).as("only the answered invitation's").isEqualTo("queued");

        clock.set(clock.instant().plus(Duration.ofHours(23)));
        assertThat(reply(ANN, " The onboarding call was great ")).isEqualTo("Thank you for your feedback, it helps Acme improve.");
        assertThat(response(ANN).getComment()).isEqualTo("The onboarding call was great");
        assertThat(response(ANN).getScore()).isEqualTo((short) 9);

        assertThat(reply(ANN, "and the app too")).as("after the comment: logged, no reply").isNull();
        assertThat(response(ANN).getComment()).isEqualTo("The onboarding call was great");
        assertThat(db.dsl().select(SMS_INBOUND.HANDLED_AS).from(SMS_INBOUND).orderBy(SMS_INBOUND.ID).fetch(SMS_INBOUND.HANDLED_AS))
                .containsExactly("score", "comment", "ignored");
        assertThat(db.dsl().fetchCount(RESPONSE_HISTORY)).isEqualTo(2);
    }

    @Test
    void aScoreWithItsCommentIsThankedAtOnce() throws Exception {
        assertThat(reply(ANN, "9 - great support")).isEqualTo("Thank you for your feedback, it helps Acme improve.");
        assertThat(response(ANN).getScore()).isEqualTo((short) 9);
        assertThat(response(ANN).getComment()).isEqualTo("great support");
        assertThat(reply(ANN, "really")).isNull();
        assertThat(response(ANN).getComment()).isEqualTo("great support");
    }

    @Test
    void repliesAreInTheContactsLanguage() throws Exception {
        assertThat(reply(FANNY, "NEUF")).isEqualTo("Merci ! Quelle est la raison principale de votre note de 9 ?");
        assertThat(reply(FANNY, "Très bon accueil")).isEqualTo("Merci pour votre avis, il aide Acme à s'améliorer.");
        assertThat(response(FANNY).getComment()).isEqualTo("Très bon accueil");
        assertThat(reply(BOB, "nine")).as("en-GB falls back to the default texts").startsWith("Thanks! What is");
        assertThat(reply(CHLOE, "10!")).startsWith("Thanks! What is the main reason for your score of 10?");
    }

    @Test
    void anUnreadableReplyIsAskedAgainOnceThenPointedToTheSurveyPage() throws Exception {
        assertThat(reply(ANN, "hello")).isEqualTo(
                "Sorry, we didn't get that. Please reply with a single number from 0 (not likely) to 10 (very likely).");
        String token = invitation(ANN).getToken();
        assertThat(reply(ANN, "7 or 8")).isEqualTo("We still couldn't read a score. You can answer here instead: "
                + PUBLIC_URL + "/s/" + token + " Reply HELP for help, STOP to opt out.");
        assertThat(reply(ANN, "100")).as("no third answer").isNull();
        assertThat(db.dsl().fetchCount(RESPONSE)).isZero();
        assertThat(reply(ANN, "8")).as("a score still counts").startsWith("Thanks! What is the main reason for your score of 8?");
        assertThat(response(ANN).getScore()).isEqualTo((short) 8);
    }

    @Test
    void aCommentMoreThanADayAfterTheQuestionIsNotTaken() throws Exception {
        reply(ANN, "6");
        clock.set(T.plus(Duration.ofHours(25)));
        assertThat(reply(ANN, "too slow")).isNull();
        assertThat(response(ANN).getComment()).isNull();
        assertThat(response(ANN).getScore()).isEqualTo((short) 6);
    }

    @Test
    void aReplyAfterExpiryGetsAPoliteAnswerAndRecordsNothing() throws Exception {
        clock.set(T.plus(Duration.ofDays(15)));
        String closed = "Thank you for replying. This Acme survey has closed, so your answer was not recorded. "
                + "We'll be in touch next time.";
        assertThat(reply(ANN, "9")).isEqualTo(closed);
        assertThat(reply(ANN, "hello?")).isEqualTo(closed);
        assertThat(db.dsl().fetchCount(RESPONSE)).isZero();
        assertThat(invitation(ANN).getStatus()).isNotEqualTo("responded");
    }

    @Test
    void theSameTextDeliveredTwiceIsAnsweredTheSameAndCountedOnce() throws Exception {
        Map<String, String> params = params(ANN, "9");
        String first = twiml(post("/webhooks/twilio/sms", params, sign("/webhooks/twilio/sms", params)).body());
        String again = twiml(post("/webhooks/twilio/sms", params, sign("/webhooks/twilio/sms", params)).body());
        assertThat(again).isEqualTo(first).startsWith("Thanks!");
        assertThat(db.dsl().fetchCount(SMS_INBOUND)).isEqualTo(1);
        assertThat(db.dsl().fetchCount(RESPONSE_HISTORY)).isEqualTo(1);
    }

    @Test
    void everyOptOutKeywordSuppressesSmsAndStartLiftsIt() throws Exception {
        for (String word : new String[] {"STOP", "stopall", "Unsubscribe", "cancel", "END", "Quit", "revoke", "OPTOUT",
                " stop ", "Stop.", "ARRÊT"}) {
            HttpResponse<String> answer = send(ANN, word, Map.of());
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.headers().firstValue("Content-Type")).contains("application/xml");
            assertThat(twiml(answer.body())).as(word + ": Twilio confirms opt-outs itself").isNull();
            assertThat(suppressionsOf(ANN)).as(word).containsExactly("sms stop twilio-keyword");
            for (String start : new String[] {"START", "unstop"}) {
                assertThat(reply(ANN, start)).as(start)
                        .isEqualTo("Acme: you will receive our survey messages again. Reply STOP to opt out.");
                assertThat(suppressionsOf(ANN)).as(word + " then " + start).isEmpty();
                send(ANN, word, Map.of());
                assertThat(suppressionsOf(ANN)).as(word + " again").hasSize(1);
            }
            reply(ANN, "start");
        }
        assertThat(db.dsl().fetchCount(RESPONSE)).as("keywords are not answers").isZero();
        assertThat(db.dsl().select(SMS_INBOUND.HANDLED_AS).from(SMS_INBOUND).fetch(SMS_INBOUND.HANDLED_AS))
                .containsOnly("stop", "start");
    }

    @Test
    void twiliosOptOutTypeCountsWhateverTheTextAndItsConfirmationsAreNotRepeated() throws Exception {
        assertThat(twiml(send(BOB, "Arrêtez svp", Map.of("OptOutType", "STOP")).body())).isNull();
        assertThat(suppressionsOf(BOB)).containsExactly("sms stop twilio-keyword");
        assertThat(twiml(send(BOB, "Yes", Map.of("OptOutType", "START")).body())).as("Twilio confirmed it").isNull();
        assertThat(suppressionsOf(BOB)).isEmpty();
        assertThat(twiml(send(BOB, "Info", Map.of("OptOutType", "HELP")).body())).startsWith("Acme customer feedback");
        assertThat(db.dsl().fetchCount(RESPONSE)).isZero();
    }

    @Test
    void helpSaysWhoWeAreAndHowToStop() throws Exception {
        assertThat(reply(ANN, "help")).isEqualTo("Acme customer feedback surveys: reply with a number from 0 to 10 "
                + "to answer. Reply STOP to opt out, START to opt back in.");
        assertThat(reply(FANNY, "AIDE")).startsWith("Enquêtes de satisfaction Acme").contains("STOP");
        assertThat(reply("+15005550000", "HELP")).as("anyone may ask").startsWith("Acme customer feedback");
        assertThat(reply(ANN, "9")).as("the conversation is untouched").startsWith("Thanks! What is");
    }

    @Test
    void anAnswerAfterStopCountsButGetsNoTextBack() throws Exception {
        reply(ANN, "STOP");
        assertThat(reply(ANN, "3 - too many texts")).isNull();
        assertThat(response(ANN).getScore()).isEqualTo((short) 3);
        assertThat(response(ANN).getComment()).isEqualTo("too many texts");
        assertThat(suppressionsOf(ANN)).containsExactly("sms stop twilio-keyword");
    }

    @Test
    void startDoesNotLiftASuppressionForAnotherReason() throws Exception {
        db.dsl().insertInto(SUPPRESSION).set(SUPPRESSION.CONTACT_ID, contactId(ANN)).set(SUPPRESSION.CHANNEL, "sms")
                .set(SUPPRESSION.REASON, "hard_bounce").set(SUPPRESSION.AT, T.atOffset(ZoneOffset.UTC)).execute();
        reply(ANN, "STOP");
        reply(ANN, "START");
        assertThat(suppressionsOf(ANN)).containsExactly("sms hard_bounce null");
    }

    @Test
    void anUnknownNumberGetsAnEmptyAnswer() throws Exception {
        HttpResponse<String> answer = send("+15005550000", "9", Map.of());
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(twiml(answer.body())).isNull();
        assertThat(answer.body()).contains("<Response");
        assertThat(db.dsl().fetchCount(RESPONSE)).isZero();
        assertThat(send("+15005550000", "STOP", Map.of()).statusCode()).isEqualTo(200);
        assertThat(db.dsl().fetchCount(SUPPRESSION)).isZero();
    }

    @Test
    void aRequestTwilioDidNotSignIsRefusedAndChangesNothing() throws Exception {
        String path = "/webhooks/twilio/sms";
        Map<String, String> stop = params(ANN, "STOP");
        Map<String, String> score = params(BOB, "9");
        String bobSid = providerId(BOB);
        Map<String, String> status = Map.of("MessageSid", bobSid, "MessageStatus", "failed", "ErrorCode", "30005",
                "AccountSid", "AC0123456789abcdef0123456789abcdef");

        assertThat(post(path, stop, null).statusCode()).as("no signature").isEqualTo(403);
        assertThat(post(path, stop, "bm90IGEgc2lnbmF0dXJl").statusCode()).as("garbage").isEqualTo(403);
        assertThat(post(path, stop, sign("http://127.0.0.1:" + port + path, TOKEN, stop)).statusCode())
                .as("signed for the address the server sees, not the public URL").isEqualTo(403);
        assertThat(post(path, stop, sign(PUBLIC_URL + path, "another-token", stop)).statusCode()).as("another account")
                .isEqualTo(403);
        Map<String, String> tampered = new LinkedHashMap<>(score);
        String signature = sign(path, score);
        tampered.put("Body", "0");
        assertThat(post(path, tampered, signature).statusCode()).as("body changed after signing").isEqualTo(403);
        assertThat(post(path, score, sign("/webhooks/twilio/status", score)).statusCode()).as("signed for another path")
                .isEqualTo(403);
        assertThat(post("/webhooks/twilio/status", status, null).statusCode()).isEqualTo(403);
        assertThat(post("/webhooks/twilio/status", status, sign(path, status)).statusCode()).isEqualTo(403);

        assertThat(db.dsl().fetchCount(SUPPRESSION)).isZero();
        assertThat(db.dsl().fetchCount(RESPONSE)).isZero();
        assertThat(db.dsl().fetchCount(SMS_INBOUND)).isZero();
        assertThat(invite(BOB).getStatus()).isEqualTo("sent");
        assertThat(post(path, score, sign(path, score)).statusCode()).as("the same, signed").isEqualTo(200);
        assertThat(db.dsl().fetchCount(RESPONSE)).isEqualTo(1);
    }

    @Test
    void deliveryStatusMovesMessagesForwardOnlyAndUnreachableNumbersAreSuppressed() throws Exception {
        clock.set(T.plusSeconds(30));
        assertThat(status(ANN, "sent", null).statusCode()).isEqualTo(200);
        assertThat(invite(ANN).getStatus()).isEqualTo("sent");
        status(ANN, "delivered", null);
        MessageRecord delivered = invite(ANN);
        assertThat(delivered.getStatus()).isEqualTo("delivered");
        assertThat(delivered.getDeliveredAt().toInstant()).isEqualTo(T.plusSeconds(30));
        assertThat(invitation(ANN).getStatus()).isEqualTo("delivered");
        clock.set(T.plusSeconds(90));
        status(ANN, "delivered", null);
        status(ANN, "sent", null);
        status(ANN, "undelivered", "30003");
        assertThat(invite(ANN)).as("the same callback again, and late ones, change nothing").isEqualTo(delivered);
        assertThat(invitation(ANN).getStatus()).isEqualTo("delivered");

        status(BOB, "undelivered", "30005");
        assertThat(invite(BOB).getStatus()).isEqualTo("failed");
        assertThat(invite(BOB).getLastError()).isEqualTo("twilio 30005");
        assertThat(invitation(BOB).getStatus()).isEqualTo("failed");
        assertThat(suppressionsOf(BOB)).containsExactly("sms hard_bounce twilio-status");
        status(BOB, "delivered", null);
        assertThat(invite(BOB).getStatus()).isEqualTo("failed");

        status(CHLOE, "undelivered", "30003");
        assertThat(invite(CHLOE).getStatus()).isEqualTo("failed");
        assertThat(invite(CHLOE).getLastError()).isEqualTo("twilio 30003");
        assertThat(suppressionsOf(CHLOE)).as("a handset switched off is not a dead number").isEmpty();

        status(FANNY, "failed", "21610");
        assertThat(suppressionsOf(FANNY)).containsExactly("sms stop twilio-status");

        Map<String, String> unknown = Map.of("MessageSid", "SMffffffffffffffffffffffffffffffff", "MessageStatus", "delivered");
        assertThat(post("/webhooks/twilio/status", unknown, sign("/webhooks/twilio/status", unknown)).statusCode())
                .isEqualTo(200);
        assertThat(db.dsl().fetchCount(MESSAGE, MESSAGE.STATUS.eq("delivered"))).isEqualTo(1);
    }

    // --- helpers ---

    private Dispatcher dispatcher() {
        return camel.getCamelContext().getRegistry().lookupByNameAndType("dispatcher", Dispatcher.class);
    }

    /** The text of the TwiML reply to a text from {@code from}, null when the answer is an empty {@code <Response/>}. */
    private String reply(String from, String body) throws Exception {
        HttpResponse<String> answer = send(from, body, Map.of());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return twiml(answer.body());
    }

    private HttpResponse<String> send(String from, String body, Map<String, String> extra) throws Exception {
        Map<String, String> params = params(from, body);
        params.putAll(extra);
        return post("/webhooks/twilio/sms", params, sign("/webhooks/twilio/sms", params));
    }

    /** What Twilio posts for an incoming SMS. */
    private Map<String, String> params(String from, String body) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("ToCountry", "US");
        params.put("SmsMessageSid", sid());
        params.put("NumMedia", "0");
        params.put("SmsSid", params.get("SmsMessageSid"));
        params.put("SmsStatus", "received");
        params.put("Body", body);
        params.put("To", "+15005550006");
        params.put("NumSegments", "1");
        params.put("MessageSid", params.get("SmsMessageSid"));
        params.put("AccountSid", "AC0123456789abcdef0123456789abcdef");
        params.put("From", from);
        params.put("ApiVersion", "2010-04-01");
        return params;
    }

    private HttpResponse<String> status(String phone, String status, String errorCode) throws Exception {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("MessageSid", providerId(phone));
        params.put("SmsSid", params.get("MessageSid"));
        params.put("MessageStatus", status);
        params.put("SmsStatus", status);
        params.put("AccountSid", "AC0123456789abcdef0123456789abcdef");
        params.put("From", "+15005550006");
        params.put("To", phone);
        params.put("ApiVersion", "2010-04-01");
        if (errorCode != null) {
            params.put("ErrorCode", errorCode);
        }
        return post("/webhooks/twilio/status", params, sign("/webhooks/twilio/status", params));
    }

    private String sid() {
        return "SM%032x".formatted(sids.incrementAndGet());
    }

    private HttpResponse<String> post(String path, Map<String, String> params, String signature) throws Exception {
        String form = params.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
                .header("User-Agent", "TwilioProxy/1.1")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (signature != null) {
            request.header("X-Twilio-Signature", signature);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String sign(String path, Map<String, String> params) throws Exception {
        return sign(PUBLIC_URL + path, TOKEN, params);
    }

    /** Twilio's algorithm: base64(HMAC-SHA1(token, url + each parameter name and value, sorted by name)). */
    private static String sign(String url, String token, Map<String, String> params) throws Exception {
        StringBuilder data = new StringBuilder(url);
        new TreeMap<>(params).forEach((name, value) -> data.append(name).append(value));
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(token.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        return Base64.getEncoder().encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
    }

    /** The body of the TwiML answer's one message, or null when it has none. */
    private static String twiml(String xml) throws Exception {
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        assertThat(doc.getDocumentElement().getTagName()).isEqualTo("Response");
        var bodies = doc.getElementsByTagName("Body");
        assertThat(bodies.getLength()).isLessThanOrEqualTo(1);
        return bodies.getLength() == 0 ? null : bodies.item(0).getTextContent();
    }

    private long contactId(String phone) {
        return db.dsl().select(CONTACT.ID).from(CONTACT).where(CONTACT.PHONE.eq(phone)).fetchOne(CONTACT.ID);
    }

    private io.surveycast.db.tables.records.InvitationRecord invitation(String phone) {
        return db.dsl().selectFrom(INVITATION).where(INVITATION.CONTACT_ID.eq(contactId(phone))).fetchOne();
    }

    private MessageRecord invite(String phone) {
        return db.dsl().selectFrom(MESSAGE).where(MESSAGE.CONTACT_ID.eq(contactId(phone)), MESSAGE.KIND.eq("invite")).fetchOne();
    }

    private MessageRecord reminder(String phone) {
        return db.dsl().selectFrom(MESSAGE).where(MESSAGE.CONTACT_ID.eq(contactId(phone)), MESSAGE.KIND.eq("reminder")).fetchOne();
    }

    private String providerId(String phone) {
        return invite(phone).getProviderId();
    }

    private io.surveycast.db.tables.records.ResponseRecord response(String phone) {
        return db.dsl().selectFrom(RESPONSE).where(RESPONSE.INVITATION_ID.eq(invitation(phone).getId())).fetchOne();
    }

    private java.util.List<String> suppressionsOf(String phone) {
        return db.dsl().selectFrom(SUPPRESSION).where(SUPPRESSION.CONTACT_ID.eq(contactId(phone)))
                .fetch(s -> s.getChannel() + " " + s.getReason() + " " + s.getSource());
    }

    /** The server's clock, moved by the test. */
    static final class MutableClock extends Clock {
        private final AtomicReference<Instant> now;

        MutableClock(Instant start) {
            this.now = new AtomicReference<>(start);
        }

        void set(Instant instant) {
            now.set(instant);
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
