package io.surveycast.user;

import static io.surveycast.db.Tables.APP_USER;
import static org.assertj.core.api.Assertions.assertThat;

import io.surveycast.support.CliRun;
import io.surveycast.support.FreshDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class UsersTest {
    @RegisterExtension
    final FreshDatabase db = new FreshDatabase();

    @Test
    void addPrintsATokenOnceAndStoresOnlyItsHash() {
        CliRun run = CliRun.run(db.settings(), "users", "add", "alice", "--role", "ops");

        assertThat(run.exitCode()).isZero();
        assertThat(run.outLines()).hasSize(1);
        String token = run.outLines().get(0);
        assertThat(token).startsWith("sc_").hasSizeGreaterThan(40);
        var row = db.dsl().selectFrom(APP_USER).fetchSingle();
        assertThat(row.getName()).isEqualTo("alice");
        assertThat(row.getRole()).isEqualTo("ops");
        assertThat(row.getTokenHash()).isEqualTo(Users.hash(token)).doesNotContain(token.substring(3));

        Users users = new Users(db.dsl(), java.time.Clock.systemUTC());
        assertThat(users.authenticate(token)).map(User::name).contains("alice");
        assertThat(users.authenticate(token + "x")).isEmpty();
        assertThat(users.authenticate(null)).isEmpty();
    }

    @Test
    void aFreshTokenReplacesTheOldOneAndCreatesTheUserOnce() {
        Users users = new Users(db.dsl(), java.time.Clock.systemUTC());
        String first = users.freshToken("demo", Role.ADMIN, "test");
        assertThat(users.authenticate(first)).hasValueSatisfying(u -> assertThat(u.role()).isEqualTo(Role.ADMIN));
        String second = users.freshToken("demo", Role.ADMIN, "test");
        assertThat(users.authenticate(first)).as("the old token stops working").isEmpty();
        assertThat(users.authenticate(second)).isPresent();
    }

    @Test
    void twoUsersGetDifferentTokens() {
        String a = CliRun.run(db.settings(), "users", "add", "a", "--role", "viewer").outLines().get(0);
        String b = CliRun.run(db.settings(), "users", "add", "b", "--role", "viewer").outLines().get(0);
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void badRoleDuplicateNameAndMissingRoleExit2() {
        CliRun.run(db.settings(), "users", "add", "alice", "--role", "admin");

        CliRun badRole = CliRun.run(db.settings(), "users", "add", "bob", "--role", "boss");
        CliRun duplicate = CliRun.run(db.settings(), "users", "add", "alice", "--role", "viewer");
        CliRun noRole = CliRun.run(db.settings(), "users", "add", "carol");

        assertThat(badRole.exitCode()).isEqualTo(2);
        assertThat(badRole.err()).contains("--role: expected admin, ops or viewer, got boss");
        assertThat(duplicate.exitCode()).isEqualTo(2);
        assertThat(duplicate.err()).contains("a user named alice already exists");
        assertThat(noRole.exitCode()).isEqualTo(2);
        assertThat(noRole.err()).contains("Missing required option: '--role");
        assertThat(db.dsl().fetchCount(APP_USER)).isEqualTo(1);
    }

    @Test
    void rolesIncludeTheWeakerOnes() {
        assertThat(Role.ADMIN.includes(Role.OPS)).isTrue();
        assertThat(Role.OPS.includes(Role.VIEWER)).isTrue();
        assertThat(Role.VIEWER.includes(Role.OPS)).isFalse();
        assertThat(Role.OPS.includes(Role.ADMIN)).isFalse();
    }
}
