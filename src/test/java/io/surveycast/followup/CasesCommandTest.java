package io.surveycast.followup;

import static io.surveycast.db.Tables.NOTIFICATION;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.surveycast.support.CliRun;
import io.surveycast.support.FreshDatabase;
import java.time.Duration;
import java.time.Instant;
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
}
