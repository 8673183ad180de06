package io.surveycast.response;

import static io.surveycast.db.Tables.INVITATION;
import static io.surveycast.db.Tables.MESSAGE;
import static io.surveycast.db.Tables.NOTIFICATION;
import static io.surveycast.db.Tables.RESPONSE;
import static io.surveycast.db.Tables.THEME_QUEUE;
import static org.assertj.core.api.Assertions.assertThat;

import io.surveycast.report.Breakdown;
import io.surveycast.report.ReportRow;
import io.surveycast.report.Reports;
import io.surveycast.support.ApiServer;
import io.surveycast.support.CliRun;
import io.surveycast.support.FreshDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code responses import}: answers collected elsewhere, row by row, stored like any answer on an
 * offline invitation, idempotent, and counted by reports in NPS but not in the response rate.
 */
class ResponseImportTest {
    static final Instant NOW = Instant.parse("2027-01-15T00:00:00Z"); // ApiServer.CLOCK

    @RegisterExtension
    final FreshDatabase db = new FreshDatabase(Map.of("SURVEYCAST_CLOCK", "fixed:" + NOW,
            "SURVEYCAST_WEBHOOK_URLS", "https://hooks.example.com/nps"));

    @TempDir
    Path dir;

    CliRun importFile(Path file, String... more) {
        String[] args = new String[3 + more.length];
        args[0] = "responses";
        args[1] = "import";
        args[2] = file.toString();
        System.arraycopy(more, 0, args, 3, more.length);
        return CliRun.run(db.settings(), args);
    }

    @Test
    void goodRowsAreImportedBadOnesReportedByLineAndColumnAndASecondImportAddsNothing() throws Exception {
        ApiServer.seed(db.dsl()); // contacts c1-c3, campaigns welcome and renewal
        Path file = dir.resolve("answers.csv");
        Files.writeString(file, """
                external_id,score,comment,received_at,campaign,channel
                c1,9,"Easy to use, great \"\"support\"\"",2027-01-10T09:00:00Z,welcome,phone
                c2,4,Too expensive for what it does,2027-01-11T10:30:00+02:00,welcome,
                nobody,8,,2027-01-10T09:00:00Z,welcome,
                c3,11,,2027-01-10T09:00:00Z,welcome,
                c3,7,,2027-02-10T09:00:00Z,welcome,
                c3,7,,yesterday,nosuch,fax
                c3,,,2027-01-10T09:00:00Z,,
                c3,7,,2027-01-12T09:00:00Z,welcome
                """);
        CliRun run = importFile(file);
        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.outLines()).containsExactly("imported 2, unchanged 0, rejected 6");
        assertThat(run.errLines()).containsExactly(
                file + ":4: external_id: no contact with external_id \"nobody\"",
                file + ":5: score: a whole number from 0 to 10, not \"11\"",
                file + ":6: received_at: 2027-02-10T09:00:00Z is in the future (now 2027-01-15T00:00:00Z)",
                file + ":7: received_at: an ISO date-time with its offset (2027-04-08T10:30:00Z, 2027-04-08T12:30:00+02:00), "
                        + "not \"yesterday\"",
                file + ":7: channel: one of offline, phone, in-person, email, sms, web, not \"fax\"",
                file + ":8: score: missing",
                file + ":8: campaign: missing",
                file + ":9: row: expected 6 columns, found 5");

        var r = RESPONSE;
        var i = INVITATION;
        var stored = db.dsl().select(r.ID, r.SCORE, r.COMMENT, r.CHANNEL, r.RECEIVED_AT, i.CHANNEL, i.STATUS, i.CYCLE, i.SENT_AT)
                .from(r).join(i).on(i.ID.eq(r.INVITATION_ID)).where(i.CHANNEL.eq("offline")).orderBy(r.RECEIVED_AT).fetch();
        assertThat(stored).hasSize(2);
        assertThat(stored.get(0).get(r.COMMENT)).isEqualTo("Easy to use, great \"support\"");
        assertThat(stored.get(0).get(r.CHANNEL)).isEqualTo("phone");
        assertThat(stored.get(1).get(r.CHANNEL)).as("default channel").isEqualTo("offline");
        assertThat(stored.get(1).get(r.RECEIVED_AT)).isEqualTo(OffsetDateTime.parse("2027-01-11T08:30:00Z"));
        assertThat(stored.get(1).get(i.STATUS)).isEqualTo("responded");
        assertThat(stored.get(1).get(i.CYCLE)).isEqualTo("offline:2027-01-11T08:30:00Z");
        assertThat(db.dsl().fetchCount(MESSAGE, MESSAGE.INVITATION_ID.in(
                db.dsl().select(i.ID).from(i).where(i.CHANNEL.eq("offline"))))).as("nothing was sent").isZero();
        // stored like any answer: queued for theme tagging, told to the webhooks
        assertThat(db.dsl().fetchCount(THEME_QUEUE, THEME_QUEUE.RESPONSE_ID.in(stored.getValues(r.ID)))).isEqualTo(2);
        assertThat(db.dsl().fetchCount(NOTIFICATION, NOTIFICATION.RESPONSE_ID.in(stored.getValues(r.ID))
                .and(NOTIFICATION.EVENT.eq("response.created")))).isEqualTo(2);

        int responses = db.dsl().fetchCount(RESPONSE);
        CliRun again = importFile(file);
        assertThat(again.outLines()).containsExactly("imported 0, unchanged 2, rejected 6");
        assertThat(db.dsl().fetchCount(RESPONSE)).as("a second import adds nothing").isEqualTo(responses);

        Path changed = dir.resolve("changed.csv");
        Files.writeString(changed, """
                external_id,received_at,campaign,score,comment
                c1,2027-01-10T09:00:00Z,welcome,3,
                c2,2027-01-11T08:30:00Z,welcome,4,Too expensive for what it does
                """);
        CliRun corrected = importFile(changed);
        assertThat(corrected.exitCode()).isEqualTo(2);
        assertThat(corrected.errLines()).containsExactly(changed + ":2: score: differs from the answer already stored "
                + "for this contact, campaign and received_at (score 9, channel phone); an imported answer is not changed");
        assertThat(corrected.outLines()).as("the same instant written another way is the same answer")
                .containsExactly("imported 0, unchanged 1, rejected 1");
    }

    @Test
    void aFileWithAWrongHeaderIsRefusedWholeAndADryRunWritesNothing() throws Exception {
        ApiServer.seed(db.dsl());
        int before = db.dsl().fetchCount(RESPONSE);
        Path file = dir.resolve("bad.csv");
        Files.writeString(file, """
                external_id,score,comments,campaign
                c1,9,nice,welcome
                """);
        CliRun run = importFile(file);
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines()).containsExactly(
                file + ":1: \"comments\": unknown column (known: external_id, score, comment, received_at, campaign, channel)",
                file + ":1: received_at: required column is missing from the header");
        Path good = dir.resolve("good.csv");
        Files.writeString(good, """
                external_id,score,received_at,campaign
                c1,9,2027-01-10T09:00:00Z,welcome
                """);
        CliRun dry = importFile(good, "--dry-run");
        assertThat(dry.exitCode()).as(dry.err()).isZero();
        assertThat(dry.outLines()).containsExactly("imported 1, unchanged 0, rejected 0");
        assertThat(db.dsl().fetchCount(RESPONSE)).isEqualTo(before);
    }

    @Test
    void reportsCountImportedAnswersInNpsButNotInTheResponseRate() throws Exception {
        ApiServer.seed(db.dsl());
        Reports reports = new Reports(db.dsl());
        ReportRow before = reports.run("welcome", null, null, Breakdown.parse("campaign")).get(0);
        Path file = dir.resolve("answers.csv");
        Files.writeString(file, """
                external_id,score,received_at,campaign
                c1,0,2026-11-20T09:00:00Z,welcome
                c2,1,2026-11-21T09:00:00Z,welcome
                """);
        assertThat(importFile(file).exitCode()).isZero();
        // (a report recomputes the days the import marked, from the raw rows, then reads the roll-ups)
        ReportRow after = reports.run("welcome", null, null, Breakdown.parse("campaign")).get(0);
        assertThat(after.invited()).isEqualTo(before.invited());
        assertThat(after.responded()).isEqualTo(before.responded() + 2);
        assertThat(after.offline()).isEqualTo(2);
        assertThat(after.detractors()).isEqualTo(before.detractors() + 2);
        assertThat(after.responseRate()).as("answers with no invite leave the rate alone").isEqualTo(before.responseRate());
        assertThat(after.medianHoursToRespond()).isEqualTo(before.medianHoursToRespond());
        assertThat(after.lift()).isEqualTo(before.lift());
        ReportRow offline = reports.run("welcome", null, null, Breakdown.parse("channel")).stream()
                .filter(row -> row.group().equals("offline")).findFirst().orElseThrow();
        assertThat(offline.invited()).isZero();
        assertThat(offline.responded()).isEqualTo(2);
        assertThat(offline.nps()).isEqualTo(-100.0);
        assertThat(offline.responseRate()).isNull();
        // the raw rows of a wave report
        List<ReportRow> waves = reports.run("welcome", LocalDate.parse("2026-11-20"), LocalDate.parse("2026-11-22"),
                Breakdown.parse("wave"));
        assertThat(waves).extracting(ReportRow::group)
                .containsExactly("welcome offline:2026-11-20T09:00:00Z", "welcome offline:2026-11-21T09:00:00Z");
        assertThat(waves).allSatisfy(w -> {
            assertThat(w.invited()).isZero();
            assertThat(w.offline()).isEqualTo(1);
        });
    }

    @Test
    void theApiTakesAJsonArrayAllOrNothingNamingEachBadAnswerByIndexAndField() throws Exception {
        ApiServer.seed(db.dsl());
        int before = db.dsl().fetchCount(RESPONSE);
        try (ApiServer server = new ApiServer(db)) {
            var bad = server.json("POST", "/api/responses", io.surveycast.user.Role.OPS, """
                    [{"external_id": "c1", "score": 9, "received_at": "2027-01-10T09:00:00Z", "campaign": "welcome"},
                     {"external_id": "c2", "score": 12, "received_at": "2027-01-10T09:00:00Z", "campaign": "welcome",
                      "note": "x"},
                     "c3",
                     {"external_id": "c3", "score": 5, "received_at": "2027-01-10T09:00:00Z", "campaign": "welcome",
                      "comment": ["not", "text"]}]""");
            assertThat(bad.statusCode()).as(bad.body()).isEqualTo(422);
            assertThat(bad.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(ApiServer.body(bad).get("errors").toString()).isEqualTo("["
                    + "{\"index\":1,\"field\":\"note\",\"reason\":\"unknown field (known: external_id, score, comment, "
                    + "received_at, campaign, channel)\"},"
                    + "{\"index\":1,\"field\":\"score\",\"reason\":\"a whole number from 0 to 10, not \\\"12\\\"\"},"
                    + "{\"index\":2,\"field\":\"answer\",\"reason\":\"must be a JSON object\"},"
                    + "{\"index\":3,\"field\":\"comment\",\"reason\":\"must be a string or a number, not array\"}]");
            assertThat(db.dsl().fetchCount(RESPONSE)).as("nothing written").isEqualTo(before);

            String good = """
                    [{"external_id": "c1", "score": 9, "received_at": "2027-01-10T09:00:00Z", "campaign": "welcome",
                      "comment": "Quick support", "channel": "in-person"},
                     {"external_id": "c2", "score": "3", "received_at": "2027-01-10T10:00:00+01:00", "campaign": "renewal"}]""";
            var done = server.json("POST", "/api/responses", io.surveycast.user.Role.OPS, good);
            assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
            assertThat(ApiServer.body(done).get("imported").asInt()).isEqualTo(2);
            var again = ApiServer.body(server.json("POST", "/api/responses", io.surveycast.user.Role.OPS, good));
            assertThat(again.get("unchanged").asInt()).isEqualTo(2);
            assertThat(again.get("responses").get(0).get("id").asLong())
                    .isEqualTo(ApiServer.body(done).get("responses").get(0).get("id").asLong());
            assertThat(db.dsl().fetchCount(RESPONSE)).isEqualTo(before + 2);
            assertThat(server.json("POST", "/api/responses", io.surveycast.user.Role.VIEWER, good).statusCode()).isEqualTo(403);
        }
    }
}
