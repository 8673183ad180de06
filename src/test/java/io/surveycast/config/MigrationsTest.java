package io.surveycast.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.surveycast.support.CliRun;
import io.surveycast.support.TestDatabase;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MigrationsTest {

    @Test
    void migrateAppliesEveryMigrationToAnEmptyDatabaseAndThenNothing() {
        String url = TestDatabase.emptyUrl();
        Settings settings = TestDatabase.settings(url, Map.of());

        CliRun first = CliRun.run(settings, "migrate");
        CliRun second = CliRun.run(settings, "migrate");

        assertThat(first.exitCode()).isZero();
        long migrations;
        try (var files = java.nio.file.Files.list(java.nio.file.Path.of("db/migration"))) {
            migrations = files.filter(f -> f.toString().endsWith(".sql")).count();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertThat(first.outLines()).containsExactly("applied " + migrations + " migration(s)");
        assertThat(second.outLines()).containsExactly("schema is up to date");
        try (Database database = Database.open(settings, 1)) {
            var tables = database.dsl().fetch(
                    "select table_name from information_schema.tables where table_schema = 'public' order by 1")
                    .getValues(0, String.class);
            assertThat(tables).contains("contact", "campaign", "invitation", "message", "response", "response_history",
                    "suppression", "app_user", "audit_log", "event", "qrtz_job_details", "qrtz_triggers", "qrtz_locks");
        }
    }

    @Test
    void unreachableDatabaseIsARuntimeFailure() {
        Settings settings = Settings.of(Map.of("SURVEYCAST_DB_URL", "jdbc:postgresql://127.0.0.1:1/nothing", "SURVEYCAST_DB_CONNECT_TIMEOUT", "1"));

        CliRun run = CliRun.run(settings, "migrate");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).startsWith("error: cannot connect to jdbc:postgresql://127.0.0.1:1/nothing");
    }
}
