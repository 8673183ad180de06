package io.surveycast.cli;

import static io.surveycast.db.Tables.INVITATION;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.surveycast.support.CliRun;
import io.surveycast.support.FreshDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12.2: a forecast for a day does not depend on the window asked for (the quarterly wave of
 * April 6th 2027 shows in a 25-day forecast as in an 18-day one), says when its first day is
 * partial, and says so plainly when nothing is planned. Issue 19.2: it shows a lower-priority
 * monthly check-in skipped for the quarterly wave's room.
 */
class ForecastCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final FreshDatabase db = new FreshDatabase();

    @TempDir
    Path dir;

    @Test
    void aDaysFiguresDoNotDependOnTheWindowAndPartialAndEmptyForecastsSaySo() throws Exception {
        CliRun empty = CliRun.run(db.settings(), "forecast", "--at", "2027-04-01T00:00:00Z", "--days", "3");
        assertThat(empty.exitCode()).as(empty.err()).isZero();
        assertThat(empty.out()).contains("Nothing is planned in these 3 days");

        assertThat(CliRun.run(db.settings(), "campaigns", "apply", "campaigns").exitCode()).isZero();
        Files.writeString(dir.resolve("monthly.yaml"), """
                key: monthly-check-in
                name: Monthly check-in
                trigger:
                  type: recurring
                  cron: "0 0 10 ? * MON#1"
                channels: [email, sms]
                question: How likely are you to recommend Acme?
                templates: {email: nps-invite, sms: nps-invite}
                expires-after: P14D
                timezone: America/New_York
                priority: 5
                """);
        assertThat(CliRun.run(db.settings(), "campaigns", "apply", dir.resolve("monthly.yaml").toString()).exitCode()).isZero();
        assertThat(CliRun.run(db.settings(), "contacts", "import", "docs/examples/contacts.csv").exitCode()).isZero();

        Map<String, JsonNode> short18 = days("2027-04-01T00:00:00Z", 18);
        Map<String, JsonNode> long25 = days("2027-04-01T00:00:00Z", 25);
        assertThat(short18).hasSize(18);
        assertThat(long25).hasSize(25);
        short18.forEach((day, figures) -> assertThat(long25.get(day)).as(day).isEqualTo(figures));
        // the quarterly wave (April 6th, spread over 5 days) is in the 25-day window too
        long waveInvites = 0;
        for (String day : long25.keySet()) {
            if (day.compareTo("2027-04-06") >= 0 && day.compareTo("2027-04-10") <= 0) {
                waveInvites += long25.get(day).get("invite").path("email").asLong() + long25.get(day).get("invite").path("sms").asLong();
            }
        }
        assertThat(waveInvites).as("quarterly invites in the 25-day forecast").isGreaterThan(50);
        // the monthly check-in of Monday April 5th gives way to the quarterly wave of the 6th
        assertThat(long25.get("2027-04-05").get("skip").path("fatigue").asLong()).isGreaterThan(50);

        // a forecast starting mid-day: its first day is partial, and says so; the other days are as before
        Map<String, JsonNode> midDay = days("2027-04-03T13:30:00Z", 5);
        assertThat(midDay.get("2027-04-03").get("partial").asBoolean()).isTrue();
        assertThat(midDay.get("2027-04-03").get("from").asText()).isEqualTo("2027-04-03T13:30:00Z");
        assertThat(midDay.get("2027-04-04").get("partial").asBoolean()).isFalse();
        for (String day : new String[] {"2027-04-05", "2027-04-06", "2027-04-07"}) {
            assertThat(midDay.get(day).get("invite")).as(day).isEqualTo(long25.get(day).get("invite"));
        }
        CliRun table = CliRun.run(db.settings(), "forecast", "--at", "2027-04-03T13:30:00Z", "--days", "5");
        assertThat(table.out()).contains("2027-04-03*").contains("* partial day: from 13:30 UTC")
                .doesNotContain("Nothing is planned");
        assertThat(db.dsl().fetchCount(INVITATION)).as("forecast stores nothing").isZero();
    }

    private Map<String, JsonNode> days(String at, int days) throws Exception {
        CliRun run = CliRun.run(db.settings(), "forecast", "--at", at, "--days", String.valueOf(days), "--format", "json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        Map<String, JsonNode> byDay = new LinkedHashMap<>();
        for (JsonNode day : JSON.readTree(run.out())) {
            byDay.put(day.get("date").asText(), day);
        }
        return byDay;
    }
}
