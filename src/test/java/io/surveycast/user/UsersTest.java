package io.surveycast.user;

import static io.surveycast.db.Tables.APP_USER;
import static org.assertj.core.api.Assertions.assertThat;

import io.surveycast.config.Database;
import io.surveycast.config.Settings;
import io.surveycast.support.CliRun;
import io.surveycast.support.TestDatabase;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UsersTest {
    Settings settings;
    Database database;

    @BeforeEach
    void setUp() {
        String url = TestDatabase.freshUrl();
        settings = TestDatabase.settings(url, Map.of());
        database = TestDatabase.open(url);
    }

    @AfterEach
    void tearDown() {
        database.close();
    }

    @Test
    void addPrintsATokenOnceAndStoresOnlyItsHash() {
        CliRun run = CliRun.run(settings, "users", "add", "alice", "--role", "ops");

        assertThat(run.exitCode()).isZero();
        assertThat(run.outLines()).hasSize(1);
        String token = run.outLines().get(0);
        assertThat(token).startsWith("sc_").hasSizeGreaterThan(40);
        var row = database.dsl().selectFrom(APP_USER).fetchSingle();
        assertThat(row.getName()).isEqualTo("alice");
        assertThat(row.getRole()).isEqualTo("ops");
        assertThat(row.getTokenHash()).isEqualTo(Users.hash(token)).doesNotContain(token.substring(3));

        Users users = new Users(database.dsl(), java.time.Clock.systemUTC());
        assertThat(users.authenticate(token)).map(User::name).contains("alice");
        assertThat(users.authenticate(token + "x")).isEmpty();
        assertThat(users.authenticate(null)).isEmpty();
    }

    @Test
    void twoUsersGetDifferentTokens() {
        String a = CliRun.run(settings, "users", "add", "a", "--role", "viewer").outLines().get(0);
        String b = CliRun.run(settings, "users", "add", "b", "--role", "viewer").outLines().get(0);
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void badRoleDuplicateNameAndMissingRoleExit2() {
        CliRun.run(settings, "users", "add", "alice", "--role", "admin");

        CliRun badRole = CliRun.run(settings, "users", "add", "bob", "--role", "boss");
        CliRun duplicate = CliRun.run(settings, "users", "add", "alice", "--role", "viewer");
        CliRun noRole = CliRun.run(settings, "users", "add", "carol");

        assertThat(badRole.exitCode()).isEqualTo(2);
        assertThat(badRole.err()).contains("--role: expected admin, ops or viewer, got boss");
        assertThat(duplicate.exitCode()).isEqualTo(2);
        assertThat(duplicate.err()).contains("a user named alice already exists");
        assertThat(noRole.exitCode()).isEqualTo(2);
        assertThat(noRole.err()).contains("Missing required option: '--role");
        assertThat(database.dsl().fetchCount(APP_USER)).isEqualTo(1);
    }

    @Test
    void rolesIncludeTheWeakerOnes() {
        assertThat(Role.ADMIN.includes(Role.OPS)).isTrue();
        assertThat(Role.OPS.includes(Role.VIEWER)).isTrue();
        assertThat(Role.VIEWER.includes(Role.OPS)).isFalse();
        assertThat(Role.OPS.includes(Role.ADMIN)).isFalse();
    }
}
