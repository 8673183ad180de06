package io.surveycast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.surveycast.config.Settings;
import io.surveycast.support.CliRun;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class CliTest {
    // an address nothing listens on: commands that reach the database would fail with exit code 1
    private final Settings settings = Settings.of(Map.of("SURVEYCAST_DB_URL", "jdbc:postgresql://127.0.0.1:1/none", "SURVEYCAST_DB_CONNECT_TIMEOUT", "1"));

    @ParameterizedTest
    @ValueSource(strings = {"", "serve", "migrate", "contacts", "contacts import", "campaigns", "campaigns apply",
            "campaigns list", "campaigns pause", "campaigns resume", "users", "users add"})
    void everyCommandHasHelp(String command) {
        String[] args = (command + " --help").strip().split(" ");

        CliRun run = CliRun.run(settings, args);

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("Usage: surveycast " + command);
    }

    @Test
    void usageErrorsExit2() {
        assertThat(CliRun.run(settings, "frobnicate").exitCode()).isEqualTo(2);
        assertThat(CliRun.run(settings, "contacts", "import").exitCode()).isEqualTo(2);
        assertThat(CliRun.run(settings, "campaigns", "apply").exitCode()).isEqualTo(2);
        CliRun unknownOption = CliRun.run(settings, "contacts", "import", "x.csv", "--fast");
        assertThat(unknownOption.exitCode()).isEqualTo(2);
        assertThat(unknownOption.err()).contains("Unknown option: '--fast'");
    }

    /** Each option value checked by the command itself: one line naming the option, exit 2, before the database is reached. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
            "users list --format xml | --format: expected table or json, got xml",
            "shares list --format xml | --format: expected table or json, got xml",
            "cases list --format xml | --format: expected table or json, got xml",
            "cases report --format xml | --format: expected table, csv or json, got xml",
            "themes list --format xml | --format: xml: expected table or json",
            "digests list --format xml | --format: xml: expected table or json",
            "shares create --expires soon | --expires: expected a duration such as P30D or PT12H, got soon",
            "themes retag --since yesterday | --since: yesterday: expected an ISO date such as 2027-01-01",
            "report --to 2026-13-01 | --to: not a date (YYYY-MM-DD): 2026-13-01",
            "messages export --from 2026-02-01 --to 2026-01-01 | --to: 2026-01-01T00:00:00Z is not after --from 2026-02-01T00:00:00Z",
            "responses export --from 2026-02-01 --to 2026-02-01 | --to: 2026-02-01T00:00:00Z is not after --from 2026-02-01T00:00:00Z"})
    void badOptionValuesAreNamedBeforeTheDatabaseIsReached(String command, String error) {
        CliRun run = CliRun.run(settings, command.split(" "));

        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.errLines()).containsExactly(error);
        assertThat(run.out()).isEmpty();
    }

    @Test
    void runtimeFailuresExit1WithAMessage() {
        CliRun run = CliRun.run(settings, "campaigns", "list");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.errLines()).first().asString().startsWith("error: cannot connect to");
    }

    @Test
    void invalidSettingsExit2() {
        CliRun run = CliRun.run(Settings.of(Map.of("SURVEYCAST_CLOCK", "yesterday")), "users", "add", "x", "--role", "admin");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("SURVEYCAST_CLOCK: expected fixed:<instant> or offset:<duration>, got yesterday");
    }
}
