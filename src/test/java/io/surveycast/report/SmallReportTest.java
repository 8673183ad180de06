package io.surveycast.report;

import static io.surveycast.db.Tables.INVITATION;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.surveycast.response.ResponseNotices;
import io.surveycast.response.Responses;
import io.surveycast.support.CliRun;
import io.surveycast.support.FreshDatabase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A report on the example data with a single answer, and a breakdown by an attribute no contact has. */
class SmallReportTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String WAVE = "2027-04-06T14:00:00Z";

    @RegisterExtension
    final FreshDatabase db = new FreshDatabase();

    @BeforeEach
    void oneAnswer() {
        assertThat(CliRun.run(db.settings(), "campaigns", "apply", "campaigns").exitCode()).isZero();
        assertThat(CliRun.run(db.settings(), "contacts", "import", "docs/examples/contacts.csv").exitCode()).isZero();
        CliRun due = CliRun.run(db.settings(), "run-due", "--at", WAVE, "--until", "2027-04-08T14:00:00Z",
                "--step", "PT6H");
        assertThat(due.exitCode()).as(due.err()).isZero();
        long invitation = db.dsl().select(INVITATION.ID).from(INVITATION).where(INVITATION.SENT_AT.isNotNull())
                .orderBy(INVITATION.SENT_AT).limit(1).fetchSingle().value1();
        Clock later = Clock.fixed(Instant.parse(WAVE).plus(Duration.ofDays(3)), ZoneOffset.UTC);
        new Responses(db.dsl(), later, new ResponseNotices(List.of(), Duration.ZERO, "http://localhost"))
                .answer(invitation, 2, null, "email").orElseThrow();
    }

    @Test
    void oneAnswerIsTooFewForAnNps() throws Exception {
        CliRun table = CliRun.run(db.settings(), "report");
        assertThat(table.exitCode()).as(table.err()).isZero();
        String row = table.outLines().get(1);
        assertThat(row).endsWith("too few answers (under 10)").doesNotContain("-100.0");
        String[] cells = row.split(" +");
        assertThat(cells[4]).as("responded").isEqualTo("1");
        assertThat(cells[6]).as("NPS").isEqualTo("-");
        assertThat(cells[10]).as("margin of error").isEqualTo("-");

        JsonNode json = JSON.readTree(CliRun.run(db.settings(), "report", "--format", "json").out()).get(0);
        assertThat(json.get("responded").asInt()).isEqualTo(1);
        assertThat(json.get("nps").asDouble()).isEqualTo(-100.0);
        assertThat(json.get("too_few_answers").asBoolean()).isTrue();

        List<String> csv = CliRun.run(db.settings(), "report", "--format", "csv").outLines();
        assertThat(csv.get(0)).contains(",median_hours_to_respond,too_few_answers,score_0");
        assertThat(csv.get(1)).contains(",true,");
        try (ReportReplica replica = ReportReplica.loadNow(db.dsl(), ReportSettings.DEFAULT)) {
            List<ReportRow> rows = new Reports(db.dsl(), 4, ReportSettings.DEFAULT, replica)
                    .run(null, null, null, Breakdown.parse("attr:plan,wave"));
            assertThat(rows).filteredOn(r -> r.responded() > 0).hasSize(1);
            ReportRow onReplica = rows.stream().filter(r -> r.responded() > 0).findFirst().orElseThrow();
            assertThat(onReplica.responded()).isEqualTo(1);
            assertThat(onReplica.nps()).isEqualTo(-100.0);
            assertThat(onReplica.tooFewAnswers()).isTrue();
        }
    }

    @Test
    void anUnknownAttributeIsRefusedByName() {
        CliRun unknown = CliRun.run(db.settings(), "report", "--by", "attr:nosuch");

        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.out()).isEmpty();
        assertThat(unknown.err().strip()).isEqualTo(
                "--by: attr:nosuch: unknown attribute, no contact has nosuch (known: owner_email, plan, region)");
        // the same refusal, word for word, when the replica answers the breakdowns
        try (ReportReplica replica = ReportReplica.loadNow(db.dsl(), ReportSettings.DEFAULT)) {
            Reports onReplica = new Reports(db.dsl(), 4, ReportSettings.DEFAULT, replica);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> onReplica.run(null, null, null, Breakdown.parse("attr:nosuch")))
                    .hasMessage("--by: attr:nosuch: unknown attribute, no contact has nosuch (known: owner_email, plan, region)");
            assertThat(onReplica.run(null, null, null, Breakdown.parse("attr:plan")))
                    .isEqualTo(new Reports(db.dsl()).run(null, null, null, Breakdown.parse("attr:plan")))
                    .extracting(ReportRow::group).contains("enterprise").doesNotContain("(none)");
        }
        CliRun known = CliRun.run(db.settings(), "report", "--by", "attr:plan");
        assertThat(known.exitCode()).as(known.err()).isZero();
        assertThat(known.out()).contains("enterprise").doesNotContain("(none)");
    }
}
