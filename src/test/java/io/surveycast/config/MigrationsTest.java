package io.surveycast.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
    void deletingAContactOrAnInvitationStillDeletesWhatHangsOnIt() {
        try (Database database = TestDatabase.open(TestDatabase.freshUrl())) {
            var dsl = database.dsl();
            dsl.execute("""
                    insert into contact (external_id, email, created_at, updated_at)
                    values ('a', 'a@example.com', now(), now()), ('b', 'b@example.com', now(), now());
                    insert into invitation (campaign_id, contact_id, cycle, channel, status, trigger_at, planned_at, invite_at)
                    select 1, id, cycle, 'email', 'sent', now(), now(), now()
                    from contact cross join (values ('wave:1'), ('wave:2')) v(cycle);
                    insert into message (invitation_id, contact_id, kind, channel, status, not_before, created_at, updated_at)
                    select id, contact_id, 'invite', 'email', 'sent', now(), now(), now() from invitation;
                    insert into response (invitation_id, score, channel, received_at, updated_at)
                    select id, 9, 'email', now(), now() from invitation""");

            dsl.execute("delete from contact where external_id = 'a'");
            assertThat(counts(dsl)).as("invitations, messages, responses").containsExactly(2L, 2L, 2L);
            dsl.execute("delete from invitation where cycle = 'wave:1'");
            assertThat(counts(dsl)).containsExactly(1L, 1L, 1L);
            assertThat(dsl.fetchOne("select count(*) from message m join invitation i on i.id = m.invitation_id "
                    + "join contact c on c.id = i.contact_id where c.external_id = 'b'").get(0, Long.class)).isEqualTo(1L);
        }
    }

    @Test
    void tokensAreUniqueOnceGivenAndPlannedInvitationsNeedNone() {
        try (Database database = TestDatabase.open(TestDatabase.freshUrl())) {
            var dsl = database.dsl();
            dsl.execute("""
                    insert into contact (external_id, email, created_at, updated_at) values ('a', 'a@example.com', now(), now());
                    insert into invitation (campaign_id, contact_id, cycle, channel, status, trigger_at, planned_at, invite_at)
                    select 1, id, cycle, 'email', 'planned', now(), now(), now()
                    from contact cross join (values ('wave:1'), ('wave:2'), ('wave:3')) v(cycle)""");
            dsl.execute("update invitation set token = 'T1' where cycle = 'wave:1'");

            assertThatThrownBy(() -> dsl.execute("update invitation set token = 'T1' where cycle = 'wave:2'"))
                    .hasMessageContaining("invitation_token_key");
            assertThat(dsl.fetchOne("select count(*) from invitation where token is null").get(0, Long.class)).isEqualTo(2L);
            assertThat(dsl.fetchOne("select cycle from invitation where token = 'T1'").get(0, String.class)).isEqualTo("wave:1");
        }
    }

    private static java.util.List<Long> counts(org.jooq.DSLContext dsl) {
        return java.util.List.of(dsl.fetchOne("select count(*) from invitation").get(0, Long.class),
                dsl.fetchOne("select count(*) from message").get(0, Long.class),
                dsl.fetchOne("select count(*) from response").get(0, Long.class));
    }

    @Test
    void unreachableDatabaseIsARuntimeFailure() {
        Settings settings = Settings.of(Map.of("SURVEYCAST_DB_URL", "jdbc:postgresql://127.0.0.1:1/nothing", "SURVEYCAST_DB_CONNECT_TIMEOUT", "1"));

        CliRun run = CliRun.run(settings, "migrate");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).startsWith("error: cannot connect to jdbc:postgresql://127.0.0.1:1/nothing");
    }
}
