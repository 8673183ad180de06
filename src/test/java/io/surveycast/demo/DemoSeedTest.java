package io.surveycast.demo;

import static io.surveycast.db.Tables.CAMPAIGN;
import static io.surveycast.db.Tables.CONTACT;
import static io.surveycast.db.Tables.INVITATION;
import static io.surveycast.db.Tables.MESSAGE;
import static io.surveycast.db.Tables.RESPONSE;
import static io.surveycast.db.Tables.SUPPRESSION;
import static org.assertj.core.api.Assertions.assertThat;

import io.surveycast.report.Breakdown;
import io.surveycast.report.ReportRow;
import io.surveycast.report.Reports;
import io.surveycast.support.FreshDatabase;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The demo company: every contact imported, the example campaigns, a year of believable history, seeded once. */
class DemoSeedTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T12:00:00Z"), ZoneOffset.UTC);

    @RegisterExtension
    final FreshDatabase db = new FreshDatabase();

    @Test
    void aYearOfHistoryForThreeThousandContactsOnce() {
        long t0 = System.nanoTime();
        assertThat(new DemoSeed(db.dsl(), CLOCK).seedIfEmpty()).isTrue();
        System.out.printf("demo seed took %.1f s%n", (System.nanoTime() - t0) / 1e9);
        assertThat(db.dsl().fetchCount(CONTACT)).isEqualTo(DemoSeed.CONTACTS);
        assertThat(db.dsl().fetchCount(CONTACT, CONTACT.NAME.endsWith(" O'Brien"))).as("names keep their apostrophes").isPositive();
        assertThat(db.dsl().fetchCount(CAMPAIGN)).as("the examples and the demo's support survey").isEqualTo(4);
        assertThat(db.dsl().fetchCount(RESPONSE, RESPONSE.COMMENT.isNotNull())).isGreaterThan(1000);
        assertThat(db.dsl().fetchCount(MESSAGE, MESSAGE.STATUS.eq("bounced"))).isPositive();
        assertThat(db.dsl().fetchCount(SUPPRESSION, SUPPRESSION.REASON.eq("stop"))).isPositive();
        assertThat(db.dsl().fetchCount(INVITATION, INVITATION.SENT_AT.gt(CLOCK.instant().atOffset(ZoneOffset.UTC)))).isZero();

        List<ReportRow> quarters = new Reports(db.dsl()).run("quarterly-nps", null, null, Breakdown.parse("quarter"));
        assertThat(quarters).hasSizeGreaterThanOrEqualTo(4);
        for (ReportRow q : quarters) {
            assertThat(q.responseRate()).isBetween(25.0, 55.0);
            assertThat(q.nps()).isBetween(-40.0, 70.0);
        }
        assertThat(quarters.get(quarters.size() - 1).nps()).as("the product got better").isGreaterThan(quarters.get(0).nps());
        assertThat(new DemoSeed(db.dsl(), CLOCK).seedIfEmpty()).as("seeded once").isFalse();
        assertConsistent(CLOCK.instant(), "wave:2026-01-06", "wave:2026-04-07", "wave:2026-07-07",
                "wave:2026-10-06");
    }

    @Test
    void daysAfterAWaveFiredItsFirstSendsAreThereAndNothingIsAfterTheClock() {
        Instant saturday = Instant.parse("2027-01-09T09:00:00Z"); // the wave fired on Tuesday 2027-01-05
        assertThat(new DemoSeed(db.dsl(), Clock.fixed(saturday, ZoneOffset.UTC)).seedIfEmpty()).isTrue();
        assertConsistent(saturday, "wave:2026-04-07", "wave:2026-07-07", "wave:2026-10-06", "wave:2027-01-05");
    }

    @Test
    void aDemoStartedOnASaturdayNightHasMailAndSmsToShowAtOnce() throws Exception {
        Clock saturdayNight = Clock.fixed(Instant.parse("2027-01-09T23:30:00Z"), ZoneOffset.UTC);
        assertThat(new DemoSeed(db.dsl(), saturdayNight).seedIfEmpty()).isTrue();
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        var serve = io.surveycast.App.camel(db.settings(java.util.Map.of("SURVEYCAST_HTTP_PORT", Integer.toString(port),
                "SURVEYCAST_HTTP_HOST", "127.0.0.1")), db.database(), saturdayNight);
        serve.start();
        try {
            var http = java.net.http.HttpClient.newHttpClient();
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(90).toNanos();
            int mails = 0;
            int sms = 0;
            while ((mails == 0 || sms == 0) && System.nanoTime() < deadline) {
                Thread.sleep(1000);
                mails = count(http, port, "/dev/mail?format=json");
                sms = count(http, port, "/dev/sms?format=json");
            }
            assertThat(mails).as("captured email at once on a Saturday night").isPositive();
            assertThat(sms).as("captured SMS at once on a Saturday night").isPositive();
        } finally {
            serve.stop();
        }
        assertConsistent(saturdayNight.instant(), "wave:2026-04-07", "wave:2026-07-07", "wave:2026-10-06", "wave:2027-01-05");
    }

    private static int count(java.net.http.HttpClient http, int port, String path) throws Exception {
        var response = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + path))
                .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body()).size();
    }

    /** Waves on the cron's dates (first Tuesday of Jan, Apr, Jul, Oct), nothing after the clock, no answer before its invite. */
    private void assertConsistent(Instant now, String... waves) {
        var at = now.atOffset(ZoneOffset.UTC);
        var dsl = db.dsl();
        assertThat(dsl.selectDistinct(INVITATION.CYCLE).from(INVITATION).where(INVITATION.CYCLE.startsWith("wave:"))
                .orderBy(INVITATION.CYCLE).fetch(INVITATION.CYCLE)).containsExactly(waves);
        assertThat(dsl.fetchCount(RESPONSE, RESPONSE.RECEIVED_AT.gt(at))).as("answers after the clock").isZero();
        assertThat(dsl.fetchCount(INVITATION, INVITATION.RESPONDED_AT.gt(at))).isZero();
        assertThat(dsl.fetchCount(INVITATION, INVITATION.SENT_AT.gt(at))).isZero();
        assertThat(dsl.fetchCount(MESSAGE, MESSAGE.SENT_AT.gt(at))).as("messages after the clock").isZero();
        assertThat(dsl.fetchCount(SUPPRESSION, SUPPRESSION.AT.gt(at))).isZero();
        assertThat(dsl.fetchCount(INVITATION, INVITATION.STATUS.eq("expired"), INVITATION.EXPIRES_AT.gt(at)))
                .as("expired before its time").isZero();
        assertThat(dsl.fetchCount(RESPONSE.join(INVITATION).on(INVITATION.ID.eq(RESPONSE.INVITATION_ID)),
                RESPONSE.RECEIVED_AT.lt(INVITATION.SENT_AT))).as("answers before their invite").isZero();
        for (var sent : dsl.select(INVITATION.SENT_AT).from(INVITATION).where(INVITATION.CYCLE.startsWith("wave:"))
                .and(INVITATION.SENT_AT.isNotNull()).fetch(INVITATION.SENT_AT)) {
            var local = sent.atZoneSameInstant(java.time.ZoneId.of("America/New_York"));
            assertThat(local.getDayOfWeek().getValue()).as("a working day: " + local).isLessThanOrEqualTo(5);
            assertThat(local.getHour()).as("within the send window: " + local).isBetween(9, 16);
        }
    }
}
