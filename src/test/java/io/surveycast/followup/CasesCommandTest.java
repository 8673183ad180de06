package io.surveycast.followup;

import static io.surveycast.db.Tables.NOTIFICATION;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.surveycast.support.CliRun;
import io.surveycast.support.FreshDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code cases list|assign|note|close}: the contract's JSON, the queue's order, exit 2 and one line for bad input. */
class CasesCommandTest {
    static final Instant T = Instant.parse("2027-04-08T10:00:00Z");
    static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final FreshDatabase db = new FreshDatabase();

    CliRun cases(Instant at, String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "cases";
        System.arraycopy(args, 0, all, 1, args.length);
        return CliRun.run(db.settings(Map.of("SURVEYCAST_CLOCK", "fixed:" + at)), all);
    }

    @Test
    void listAssignNoteAndCloseFromTheCommandLine() throws Exception {
        FrozenClock clock = new FrozenClock(T);
        var fixture = new CaseFixture(db.dsl(), clock, CaseFixture.CAMPAIGN);
        fixture.answer("b", 2, "Nobody answers the phone");
        clock.advance(Duration.ofHours(1));
        fixture.answer("a", 5, null);
        clock.advance(Duration.ofHours(1));
        fixture.answer("c", 9, null);

        CliRun listed = cases(T.plus(Duration.ofHours(3)), "list", "--format", "json");
        assertThat(listed.exitCode()).as(listed.err()).isZero();
        JsonNode queue = JSON.readTree(listed.out());
        assertThat(queue).hasSize(2);
        assertThat(queue.get(0).get("external_id").asText()).as("due first").isEqualTo("b");
        assertThat(queue.get(0).get("comment").asText()).isEqualTo("Nobody answers the phone");
        assertThat(queue.get(1).get("owner").asText()).isEqualTo("ann.owner@acme.example");
        long id = queue.get(0).get("id").asLong();

        CliRun assigned = cases(T.plus(Duration.ofHours(4)), "assign", Long.toString(id), "lea@acme.example");
        assertThat(assigned.exitCode()).as(assigned.err()).isZero();
        assertThat(db.dsl().selectFrom(NOTIFICATION).where(NOTIFICATION.KIND.eq("email")).fetch())
                .singleElement().satisfies(n -> {
                    assertThat(n.getTarget()).isEqualTo("lea@acme.example");
                    assertThat(n.getEvent()).isEqualTo("case.assigned");
                });
        assertThat(cases(T.plus(Duration.ofHours(5)), "note", Long.toString(id), "Called, all sorted").exitCode()).isZero();
        CliRun noReason = cases(T.plus(Duration.ofHours(5)), "close", Long.toString(id));
        assertThat(noReason.exitCode()).isEqualTo(2);
        CliRun closed = cases(T.plus(Duration.ofHours(6)), "close", Long.toString(id), "--reason", "refund agreed");
        assertThat(closed.exitCode()).as(closed.err()).isZero();
        CliRun again = cases(T.plus(Duration.ofHours(6)), "close", Long.toString(id), "--reason", "twice");
        assertThat(again.exitCode()).isEqualTo(2);
        assertThat(again.errLines()).containsExactly("ID: case " + id + " is closed already (refund agreed)");

        JsonNode done = JSON.readTree(cases(T.plus(Duration.ofHours(7)), "list", "--status", "closed", "--format", "json").out());
        assertThat(done).singleElement().satisfies(c -> {
            assertThat(c.get("owner").asText()).isEqualTo("lea@acme.example");
            assertThat(c.get("first_action_at").asText()).isEqualTo(T.plus(Duration.ofHours(4)).toString());
            assertThat(c.get("closed_at").asText()).isEqualTo(T.plus(Duration.ofHours(6)).toString());
            assertThat(c.get("notes").get(0).get("text").asText()).isEqualTo("Called, all sorted");
            assertThat(c.get("notes").get(0).get("author").asText()).startsWith("cli:");
        });

        assertThat(JSON.readTree(cases(T.plus(Duration.ofHours(48)), "list", "--overdue", "--format", "json").out()))
                .as("not yet past 48 h").isEmpty();
        CliRun overdue = cases(T.plus(Duration.ofHours(49)), "list", "--overdue");
        assertThat(overdue.outLines()).hasSize(2).last().asString().contains("OVERDUE", "ann.owner@acme.example");
    }

    @Test
    void badOptionsAndUnknownCasesAreExit2WithOneLineEach() {
        CliRun bad = cases(T, "list", "--status", "done", "--category", "happy");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.errLines()).containsExactly("--status: expected open, in_progress, closed or all, got done",
                "--category: expected detractor, passive or promoter, got happy");
        CliRun unknown = cases(T, "assign", "999", "lea@acme.example");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.errLines()).containsExactly("ID: no case 999");
        CliRun empty = cases(T, "note", "999", " ");
        assertThat(empty.exitCode()).isEqualTo(2);
        assertThat(empty.errLines()).containsExactly("text: required");
    }

    @Test
    void reportAsTableCsvAndJsonWithFormulaCellsNeutralised() throws Exception {
        FrozenClock clock = new FrozenClock(T);
        var fixture = new CaseFixture(db.dsl(), clock, CaseFixture.CAMPAIGN);
        fixture.answer("b", 2, "Nobody answers the phone");
        fixture.answer("a", 5, null);
        fixture.answer("c", 9, null);
        long bCase = JSON.readTree(cases(T, "list", "--owner", "-", "--format", "json").out()).get(0).get("id").asLong();
        String formula = "=HYPERLINK(\"http://evil.example\")";
        assertThat(cases(T.plus(Duration.ofHours(1)), "assign", Long.toString(bCase), formula).exitCode()).isZero();
        assertThat(cases(T.plus(Duration.ofHours(3)), "close", Long.toString(bCase), "--reason", "called").exitCode()).isZero();

        Instant later = T.plus(Duration.ofHours(50));
        CliRun json = cases(later, "report", "--by", "owner", "--format", "json");
        assertThat(json.exitCode()).as(json.err()).isZero();
        JsonNode rows = JSON.readTree(json.out());
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).get("group").asText()).as("rows by group").isEqualTo(formula);
        JsonNode ann = rows.get(1);
        assertThat(ann.get("group").asText()).isEqualTo("ann.owner@acme.example");
        assertThat(ann.get("overdue").asLong()).as("open past its 48 h").isEqualTo(1);
        assertThat(ann.get("closed_within_due").asDouble()).isEqualTo(0.0);
        JsonNode b = rows.get(0);
        assertThat(b.get("group").asText()).isEqualTo(formula);
        assertThat(b.get("median_hours_to_first_action").asDouble()).isEqualTo(1.0);
        assertThat(b.get("median_hours_to_close").asDouble()).isEqualTo(3.0);
        assertThat(b.get("closed_within_due").asDouble()).isEqualTo(100.0);
        assertThat(b.fieldNames()).toIterable().containsExactlyElementsOf(CaseReportRow.COLUMNS);

        CliRun csv = cases(later, "report", "--by", "owner", "--format", "csv");
        assertThat(csv.exitCode()).as(csv.err()).isZero();
        List<List<String>> records = new ArrayList<>();
        try (var reader = de.siegmar.fastcsv.reader.CsvReader.builder().ofCsvRecord(csv.out())) {
            reader.forEach(r -> records.add(r.getFields()));
        }
        assertThat(records.getFirst()).containsExactlyElementsOf(CaseReportRow.COLUMNS);
        assertThat(records).hasSize(3);
        for (int i = 0; i < 2; i++) {
            List<String> expected = new ArrayList<>();
            for (String column : CaseReportRow.COLUMNS) {
                JsonNode v = rows.get(i).get(column);
                expected.add(v.isNull() ? "" : v.asText());
            }
            expected.set(0, i == 0 ? "'" + formula : expected.get(0));
            assertThat(records.get(i + 1)).as("CSV row %d as the JSON, the formula neutralised", i).isEqualTo(expected);
        }

        CliRun table = cases(later, "report", "--by", "owner");
        assertThat(table.exitCode()).as(table.err()).isZero();
        assertThat(table.outLines()).hasSize(3);
        assertThat(table.outLines().get(0)).startsWith("GROUP").contains("OPENED", "OVERDUE", "RECOVERY %");
        assertThat(table.outLines().get(2).split("\\s+")).containsExactly("ann.owner@acme.example", "1", "0", "1", "1",
                "0.0", "-", "-", "0", "0", "-");

        CliRun bad = cases(later, "report", "--by", "team", "--from", "yesterday");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.errLines()).containsExactly("--from: not a date (YYYY-MM-DD): yesterday",
                "--by: expected owner, campaign or category, got team");
    }
}
