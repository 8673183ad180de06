package io.surveycast.metrics;

import static io.surveycast.db.Tables.MESSAGE;
import static org.assertj.core.api.Assertions.assertThat;

import io.surveycast.campaign.FatiguePolicy;
import io.surveycast.plan.Planner;
import io.surveycast.schedule.DueRunner;
import io.surveycast.support.ApiServer;
import io.surveycast.support.Fixtures;
import io.surveycast.support.FreshDatabase;
import io.surveycast.support.TwilioStub;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class MetricsEndpointTest {
    @RegisterExtension
    final FreshDatabase db = new FreshDatabase();

    /** Every family the README promises is in one scrape, and the scrape parses as Prometheus' text format. */
    @Test
    void theScrapeParsesAsPrometheusTextAndHasEveryFamily() throws Exception {
        try (ApiServer server = new ApiServer(db, Map.of())) {
            server.get("/health", null);
            server.get("/s/no-such-token", null);
            // a due-scan as Quartz hands it over, 1.5 s late
            server.context().createProducerTemplate().sendBodyAndHeader("direct:due-scan", null, "scanLagSeconds", 1.5);
            HttpResponse<String> scrape = server.get("/metrics", null);
            assertThat(scrape.statusCode()).isEqualTo(200);
            assertThat(scrape.headers().firstValue("Content-Type")).hasValue(MetricsEndpoint.CONTENT_TYPE);
            Exposition metrics = new Exposition(scrape.body());
            for (String family : new String[] {"surveycast_messages_total", "surveycast_outbox_messages",
                "surveycast_outbox_oldest_due_age_seconds", "surveycast_due_scan_duration_seconds_count",
                "surveycast_due_scan_lag_seconds_count", "surveycast_planning_invitations_total",
                "surveycast_notification_outbox", "surveycast_metrics_database_up", "http_server_requests_seconds_bucket",
                "hikaricp_connections_active", "jvm_memory_used_bytes", "jvm_threads_live_threads", "camel_exchanges_total",
                "process_cpu_usage"}) {
                assertThat(metrics.has(family)).as(family).isTrue();
            }
            // the route's template, never the token itself
            assertThat(metrics.value("http_server_requests_seconds_count{method=\"GET\",route=\"/s/:token\",status=\"404\"}"))
                    .isEqualTo(1);
            assertThat(scrape.body()).doesNotContain("no-such-token");
            assertThat(metrics.value("http_server_requests_seconds_bucket{method=\"GET\",route=\"/health\",status=\"200\",le=\"+Inf\"}"))
                    .isEqualTo(1);
            assertThat(metrics.value("surveycast_metrics_database_up")).isEqualTo(1);
        }
    }

    @Test
    void withATokenSetOnlyThatBearerTokenGetsTheMetrics() throws Exception {
        try (ApiServer server = new ApiServer(db, Map.of("SURVEYCAST_METRICS_TOKEN", "scrape-me-7f3a"))) {
            for (String wrong : new String[] {null, "scrape-me-7f3b", "scrape-me-7f3a-and-more", ""}) {
                HttpResponse<String> refused = server.call("GET", "/metrics", wrong, null, null);
                assertThat(refused.statusCode()).as("token %s", wrong).isEqualTo(401);
                assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
                assertThat(refused.headers().firstValue("WWW-Authenticate").orElseThrow()).startsWith("Bearer");
                assertThat(ApiServer.body(refused).get("status").asInt()).isEqualTo(401);
                assertThat(refused.body()).doesNotContain("jvm_").doesNotContain("scrape-me");
            }
            // an API token of any role is not the metrics token
            assertThat(server.call("GET", "/metrics", server.tokens.get(io.surveycast.user.Role.ADMIN), null, null)
                    .statusCode()).isEqualTo(401);
            HttpResponse<String> allowed = server.call("GET", "/metrics", "scrape-me-7f3a", null, null);
            assertThat(allowed.statusCode()).isEqualTo(200);
            assertThat(new Exposition(allowed.body()).has("surveycast_outbox_messages")).isTrue();
        }
    }

    /**
     * While a wave is on the wire (Twilio holds the requests unanswered), the outbox figures of a
     * scrape are those of the database; once it has gone out, the sent counter is the database's
     * count of sent messages and the outbox is empty.
     */
    @Test
    void theOutboxFiguresAreTheDatabasesDuringADispatch() throws Exception {
        int contacts = 12;
        Instant now = ApiServer.CLOCK.instant();
        StringBuilder csv = new StringBuilder("external_id,phone,timezone,onboarded_at\n");
        for (int i = 0; i < contacts + 3; i++) { // the last three join later: scheduled, not due
            csv.append("c").append(i).append(",+1415555").append(String.format("%04d", i))
                    .append(",America/Los_Angeles,").append(i < contacts ? "2027-01-13T00:00:00Z" : "2027-01-20T00:00:00Z")
                    .append('\n');
        }
        Fixtures.contacts(db.dsl(), ApiServer.CLOCK, csv.toString());
        Fixtures.campaign(db.dsl(), ApiServer.CLOCK, """
                key: welcome
                name: Welcome survey
                trigger: {type: onboarding, offset: P1D}
                channels: [sms]
                question: How likely are you to recommend Acme?
                templates: {sms: nps-invite}
                """);
        new DueRunner(db.dsl(), new Planner(FatiguePolicy.DEFAULT)).runAt(now);
        // three more queued for later, as a reminder would be
        db.dsl().update(MESSAGE).set(MESSAGE.NOT_BEFORE, OffsetDateTime.parse("2027-02-01T18:00:00Z"))
                .where(MESSAGE.ID.in(db.dsl().select(MESSAGE.ID).from(MESSAGE).orderBy(MESSAGE.ID.desc()).limit(3))).execute();
        assertThat(db.dsl().fetchCount(MESSAGE, MESSAGE.STATUS.eq("queued"))).isEqualTo(contacts);

        try (TwilioStub twilio = new TwilioStub()) {
            twilio.hold();
            Map<String, String> env = new HashMap<>();
            env.put("TWILIO_ACCOUNT_SID", TwilioStub.SID);
            env.put("TWILIO_AUTH_TOKEN", "secret-token");
            env.put("SURVEYCAST_SMS_FROM", "+15005550006");
            env.put("SURVEYCAST_TWILIO_API_URL", twilio.baseUrl());
            env.put("SURVEYCAST_DISPATCH_LEASE", "PT60S");
            env.put("SURVEYCAST_DISPATCH_INTERVAL", "200");
            env.put("SURVEYCAST_SMS_CONCURRENCY", "2");
            env.put("SURVEYCAST_METRICS_MAX_AGE", "PT0S");
            try (var servePool = io.surveycast.config.Database.open(db.settings(env), 24); // as serve opens it
                 ApiServer server = new ApiServer(db, servePool, env)) {
                awaitTrue(() -> twilio.creates().size() >= 2, "two SMS on the wire");
                Exposition during = new Exposition(server.get("/metrics", null).body());
                long dueInDb = db.dsl().fetchCount(MESSAGE, MESSAGE.STATUS.eq("queued"), MESSAGE.CHANNEL.eq("sms"),
                        MESSAGE.NOT_BEFORE.le(OffsetDateTime.ofInstant(now, ZoneOffset.UTC)));
                long claimedInDb = db.dsl().resultQuery("""
                        select count(*) from dispatch_claim c, unnest(c.message_ids) listed(id), message m
                        where m.id = listed.id and m.status = 'queued' and c.held_until > clock_timestamp()""").fetchOne(0, Long.class);
                long scheduledInDb = db.dsl().fetchCount(MESSAGE, MESSAGE.STATUS.eq("queued"),
                        MESSAGE.NOT_BEFORE.gt(OffsetDateTime.ofInstant(now, ZoneOffset.UTC)));
                OffsetDateTime oldest = db.dsl().select(DSL.min(MESSAGE.NOT_BEFORE)).from(MESSAGE)
                        .where(MESSAGE.STATUS.eq("queued"), MESSAGE.NOT_BEFORE.le(OffsetDateTime.ofInstant(now, ZoneOffset.UTC)))
                        .fetchOne().value1();
                assertThat(claimedInDb).as("messages in a held batch").isGreaterThanOrEqualTo(2);
                assertThat(during.value("surveycast_outbox_messages{channel=\"sms\",status=\"claimed\"}")).isEqualTo(claimedInDb);
                assertThat(during.value("surveycast_outbox_messages{channel=\"sms\",status=\"due\"}"))
                        .isEqualTo(dueInDb - claimedInDb);
                assertThat(during.value("surveycast_outbox_messages{channel=\"sms\",status=\"scheduled\"}"))
                        .isEqualTo(scheduledInDb).isEqualTo(3);
                assertThat(during.value("surveycast_outbox_messages{channel=\"email\",status=\"due\"}")).isZero();
                assertThat(during.value("surveycast_outbox_oldest_due_age_seconds{channel=\"sms\"}"))
                        .isEqualTo(Duration.between(oldest.toInstant(), now).toSeconds());
                assertThat(during.value("surveycast_messages_total{channel=\"sms\",outcome=\"sent\"}")).isZero();

                twilio.release();
                awaitTrue(() -> db.dsl().fetchCount(MESSAGE, MESSAGE.STATUS.eq("sent")) == contacts - 3, "the wave sent");
                awaitTrue(() -> new Exposition(server.get("/metrics", null).body())
                        .value("surveycast_messages_total{channel=\"sms\",outcome=\"sent\"}") == contacts - 3, "the pass counted");
                Exposition after = new Exposition(server.get("/metrics", null).body());
                assertThat(after.value("surveycast_messages_total{channel=\"sms\",outcome=\"sent\"}"))
                        .isEqualTo(db.dsl().fetchCount(MESSAGE, MESSAGE.STATUS.eq("sent"), MESSAGE.CHANNEL.eq("sms")));
                assertThat(after.value("surveycast_outbox_messages{channel=\"sms\",status=\"due\"}")).isZero();
                assertThat(after.value("surveycast_outbox_messages{channel=\"sms\",status=\"claimed\"}")).isZero();
                assertThat(after.value("surveycast_outbox_messages{channel=\"sms\",status=\"scheduled\"}")).isEqualTo(3);
                assertThat(after.value("surveycast_outbox_oldest_due_age_seconds{channel=\"sms\"}")).isZero();
            } finally {
                twilio.release();
            }
        }
    }

    interface Check {
        boolean ok() throws Exception;
    }

    static void awaitTrue(Check check, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!check.ok()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
