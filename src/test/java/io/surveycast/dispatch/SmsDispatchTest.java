package io.surveycast.dispatch;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.surveycast.db.Tables.INVITATION;
import static io.surveycast.db.Tables.MESSAGE;
import static io.surveycast.db.Tables.SUPPRESSION;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.surveycast.campaign.FatiguePolicy;
import io.surveycast.plan.Planner;
import io.surveycast.schedule.DueRunner;
import io.surveycast.support.Fixtures;
import io.surveycast.support.FreshDatabase;
import io.surveycast.support.SendingNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SMS dispatch through the Twilio SDK against a local HTTP server answering as Twilio's Messages
 * API does (../shared/twilio/twilio_api_v2010.json: form-encoded POST to
 * /2010-04-01/Accounts/{AccountSid}/Messages.json, 201 with the message resource, errors as
 * {code, message, more_info, status}).
 */
class SmsDispatchTest {
    static final Instant T = Instant.parse("2026-06-01T12:00:00Z"); // 13:00 in London
    static final Clock CLOCK = Clock.fixed(T, ZoneOffset.UTC);
    static final String SID = "AC0123456789abcdef0123456789abcdef";
    static final String MESSAGES = "/2010-04-01/Accounts/" + SID + "/Messages.json";

    @RegisterExtension
    final FreshDatabase db = new FreshDatabase();
    final WireMockServer twilio = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));

    @BeforeEach
    void contactsAndCampaign() {
        twilio.start();
        Fixtures.contacts(db.dsl(), CLOCK, """
                external_id,phone,name,timezone,onboarded_at
                a,+447911123456,Ann,Europe/London,2026-05-31T12:00:00Z
                """);
        Fixtures.campaign(db.dsl(), CLOCK, """
                key: welcome
                name: Welcome survey
                trigger: {type: onboarding, offset: P1D}
                channels: [sms]
                question: How likely are you to recommend Acme?
                templates: {sms: nps-invite}
                expires-after: P14D
                """);
        new DueRunner(db.dsl(), new Planner(FatiguePolicy.DEFAULT)).runAt(T);
    }

    @AfterEach
    void stop() {
        twilio.stop();
    }

    SendingNode node() throws Exception {
        return node(Map.of("SURVEYCAST_SMS_FROM", "+15005550006"));
    }

    SendingNode node(Map<String, String> sender) throws Exception {
        Map<String, String> env = new HashMap<>(sender);
        env.put("TWILIO_ACCOUNT_SID", SID);
        env.put("TWILIO_AUTH_TOKEN", "secret-token");
        env.put("SURVEYCAST_TWILIO_API_URL", twilio.baseUrl());
        env.put("SURVEYCAST_PUBLIC_URL", "https://nps.acme.example");
        env.put("SURVEYCAST_COMPANY_NAME", "Acme");
        return new SendingNode(db.settings(env), CLOCK);
    }

    static String created(String sid, String body) {
        return """
                {"account_sid": "%s", "api_version": "2010-04-01", "body": %s, "date_created": "Mon, 01 Jun 2026 12:00:00 +0000",
                 "date_sent": null, "date_updated": "Mon, 01 Jun 2026 12:00:00 +0000", "direction": "outbound-api",
                 "error_code": null, "error_message": null, "from": "+15005550006", "messaging_service_sid": null,
                 "num_media": "0", "num_segments": "1", "price": null, "price_unit": "USD", "sid": "%s",
                 "status": "queued", "subresource_uris": {"media": "/2010-04-01/Accounts/%s/Messages/%s/Media.json"},
                 "to": "+447911123456", "uri": "/2010-04-01/Accounts/%s/Messages/%s.json"}
                """.formatted(SID, body, sid, SID, sid, SID, sid);
    }

    static String error(int status, int code, String message) {
        return """
                {"code": %d, "message": "%s", "more_info": "https://www.twilio.com/docs/errors/%d", "status": %d}
                """.formatted(code, message, code, status);
    }

    @Test
    void throttledThenAcceptedIsSentOnceWithTheParametersTwilioExpects() throws Exception {
        String sid = "SM0123456789abcdef0123456789abcdef";
        twilio.stubFor(post(urlEqualTo(MESSAGES)).inScenario("throttle").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Content-Type", "application/json")
                        .withBody(error(429, 20429, "Too Many Requests")))
                .willSetStateTo("open"));
        twilio.stubFor(post(urlEqualTo(MESSAGES)).inScenario("throttle").whenScenarioStateIs("open")
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withBody(created(sid, "\"Acme: How likely?\""))));

        try (SendingNode node = node()) {
            DispatchCounts counts = node.dispatcher().drain(T);
            assertThat(counts.sent()).containsEntry("sms", 1L);
            assertThat(counts.retried()).containsEntry("sms", 1L);
        }

        List<LoggedRequest> requests = twilio.findAll(postRequestedFor(urlEqualTo(MESSAGES)));
        assertThat(requests).hasSize(2);
        LoggedRequest last = requests.get(1);
        assertThat(last.getHeader("Content-Type")).startsWith("application/x-www-form-urlencoded");
        assertThat(last.getHeader("Authorization")).isEqualTo("Basic "
                + Base64.getEncoder().encodeToString((SID + ":secret-token").getBytes(StandardCharsets.UTF_8)));
        Map<String, String> form = form(last.getBodyAsString());
        assertThat(form).containsEntry("To", "+447911123456").containsEntry("From", "+15005550006")
                .containsEntry("StatusCallback", "https://nps.acme.example/webhooks/twilio/status");
        String token = db.dsl().select(INVITATION.TOKEN).from(INVITATION).fetchOne().value1();
        assertThat(form.get("Body")).startsWith("Acme: How likely are you to recommend Acme? Reply with a number from 0")
                .contains("https://nps.acme.example/s/" + token).contains("STOP").doesNotContain("<#--");

        var message = db.dsl().selectFrom(MESSAGE).fetchOne();
        assertThat(message.getStatus()).isEqualTo("sent");
        assertThat(message.getProviderId()).isEqualTo(sid);
        assertThat(message.getSegments()).isEqualTo(form.get("Body").length() <= 160 ? 1 : 2);
        assertThat(message.getAttempts()).as("throttling is not a failed attempt").isEqualTo(1);
    }

    @Test
    void aRecipientWhoTextedStopIsSuppressedAndAnInvalidNumberFailsForGood() throws Exception {
        twilio.stubFor(post(urlEqualTo(MESSAGES)).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json")
                .withBody(error(400, 21610, "Attempt to send to unsubscribed recipient"))));
        try (SendingNode node = node()) {
            assertThat(node.dispatcher().drain(T).failed()).containsEntry("sms", 1L);
        }
        assertThat(db.dsl().fetchCount(SUPPRESSION, SUPPRESSION.CHANNEL.eq("sms"), SUPPRESSION.REASON.eq("stop"))).isEqualTo(1);
        assertThat(db.dsl().selectFrom(MESSAGE).fetchOne().getLastError()).contains("21610");

        db.dsl().deleteFrom(SUPPRESSION).execute();
        db.dsl().update(MESSAGE).set(MESSAGE.STATUS, "queued").execute();
        db.dsl().update(INVITATION).set(INVITATION.STATUS, "planned").execute();
        twilio.resetAll();
        twilio.stubFor(post(urlEqualTo(MESSAGES)).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json")
                .withBody(error(400, 21211, "Invalid 'To' Phone Number"))));
        // its second attempt: first the channel looks for an earlier one in Twilio's Messages list
        twilio.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(
                com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo(MESSAGES)).willReturn(aResponse()
                .withStatus(200).withHeader("Content-Type", "application/json")
                .withBody("{\"messages\": [], \"end\": 0, \"first_page_uri\": \"" + MESSAGES + "\", \"next_page_uri\": null, "
                        + "\"page\": 0, \"page_size\": 50, \"previous_page_uri\": null, \"start\": 0, \"uri\": \""
                        + MESSAGES + "\"}")));
        try (SendingNode node = node()) {
            assertThat(node.dispatcher().drain(T).failed()).containsEntry("sms", 1L);
        }
        assertThat(db.dsl().fetchCount(SUPPRESSION)).isZero();
        assertThat(db.dsl().selectFrom(MESSAGE).fetchOne().getStatus()).isEqualTo("failed");
    }

    @Test
    void aMessagingServiceSendsInsteadOfAFromNumber() throws Exception {
        twilio.stubFor(post(urlEqualTo(MESSAGES)).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json")
                .withBody(created("SMaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "\"x\""))));
        try (SendingNode node = node(Map.of("TWILIO_MESSAGING_SERVICE_SID", "MG0123456789abcdef0123456789abcdef"))) {
            assertThat(node.dispatcher().drain(T).sent()).containsEntry("sms", 1L);
        }
        Map<String, String> form = form(twilio.findAll(postRequestedFor(urlEqualTo(MESSAGES))).get(0).getBodyAsString());
        assertThat(form).containsEntry("MessagingServiceSid", "MG0123456789abcdef0123456789abcdef")
                .doesNotContainKey("From");
    }

    @Test
    void aBatchWaitingOutAPauseLongerThanItsLeaseIsHeldNotTakenOver() throws Exception {
        twilio.stubFor(post(urlEqualTo(MESSAGES)).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json")
                .withBody(created("SMbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", "\"x\""))));
        OutboxQueries queries = new OutboxQueries();
        // a provider's throttling answer paused the channel for 8 s; a batch holds for 2 s plus 2 s at 50/s
        queries.throttle(db.dsl(), "sms", java.time.Duration.ofSeconds(8));
        try (SendingNode node = node(Map.of("SURVEYCAST_SMS_FROM", "+15005550006", "SURVEYCAST_DISPATCH_LEASE", "PT2S",
                "SURVEYCAST_TWILIO_TIMEOUT", "PT1S", "SURVEYCAST_SMS_RATE", "50"))) {
            var drained = java.util.concurrent.CompletableFuture.supplyAsync(() -> node.dispatcher().drain(T));
            Thread.sleep(6000);
            assertThat(queries.claim(db.dsl(), "sms", T, 10, "other-node#1", java.time.Duration.ofSeconds(30)))
                    .as("another node finds the batch still held").isEmpty();
            assertThat(drained.get(30, java.util.concurrent.TimeUnit.SECONDS).sent()).containsEntry("sms", 1L);
        }
        twilio.verify(1, postRequestedFor(urlEqualTo(MESSAGES)));
        assertThat(db.dsl().selectFrom(MESSAGE).fetchOne().getAttempts()).isEqualTo(1);
    }

    @Test
    void aServerErrorIsRetriedLater() throws Exception {
        twilio.stubFor(post(urlEqualTo(MESSAGES)).willReturn(aResponse().withStatus(503)
                .withHeader("Content-Type", "application/json").withBody(error(503, 20503, "Service Unavailable"))));
        try (SendingNode node = node()) {
            assertThat(node.dispatcher().drain(T).retried()).containsEntry("sms", 1L);
        }
        var message = db.dsl().selectFrom(MESSAGE).fetchOne();
        assertThat(message.getStatus()).isEqualTo("queued");
        assertThat(message.getNotBefore().toInstant()).isAfter(T);
        twilio.verify(1, postRequestedFor(urlEqualTo(MESSAGES)).withHeader("Accept", equalTo("application/json")));
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return form;
    }
}
