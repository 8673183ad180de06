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
    void listDisableEnableAndRotateFromTheCommandLine() {
        String alice = CliRun.run(db.settings(), "users", "add", "alice", "--role", "ops").outLines().get(0);
        CliRun.run(db.settings(), "users", "add", "bob", "--role", "viewer");
        Users users = new Users(db.dsl(), java.time.Clock.systemUTC());
        Sessions sessions = new Sessions(db.dsl(), java.time.Clock.systemUTC(), users);
        String session = sessions.open(alice).orElseThrow().sessionId();

        CliRun disable = CliRun.run(db.settings(), "users", "disable", "alice");
        assertThat(disable.exitCode()).as(disable.err()).isZero();
        assertThat(users.authenticate(alice)).as("a disabled user's token").isEmpty();
        assertThat(sessions.user(session)).as("a disabled user's session").isEmpty();
        assertThat(db.dsl().fetchOne(APP_USER, APP_USER.NAME.eq("alice")).getDisabledAt()).isNotNull();

        CliRun list = CliRun.run(db.settings(), "users", "list");
        assertThat(list.exitCode()).isZero();
        assertThat(list.outLines()).hasSize(3);
        assertThat(list.outLines().get(1)).startsWith("alice").contains("ops", "disabled");
        assertThat(list.outLines().get(2)).startsWith("bob").contains("viewer", "active");
        assertThat(list.out()).doesNotContain(alice);
        CliRun json = CliRun.run(db.settings(), "users", "list", "--format", "json");
        assertThat(json.out()).contains("\"name\" : \"alice\"", "\"disabled\" : true", "\"disabled\" : false");

        assertThat(CliRun.run(db.settings(), "users", "enable", "alice").exitCode()).isZero();
        assertThat(users.authenticate(alice)).as("enabled again").isPresent();
        assertThat(sessions.user(session)).as("ended sessions stay ended").isEmpty();

        String again = sessions.open(alice).orElseThrow().sessionId();
        CliRun rotate = CliRun.run(db.settings(), "users", "rotate", "alice");
        assertThat(rotate.exitCode()).as(rotate.err()).isZero();
        assertThat(rotate.outLines()).hasSize(1);
        String fresh = rotate.outLines().get(0);
        assertThat(fresh).startsWith("sc_").isNotEqualTo(alice);
        assertThat(users.authenticate(alice)).as("the old token").isEmpty();
        assertThat(sessions.user(again)).as("a session opened with the old token").isEmpty();
        assertThat(users.authenticate(fresh)).map(User::name).contains("alice");
        assertThat(db.dsl().fetchOne(APP_USER, APP_USER.NAME.eq("alice")).getTokenHash()).isEqualTo(Users.hash(fresh));
    }

    @Test
    void unknownUsersExit2AndChangeNothing() {
        String bob = CliRun.run(db.settings(), "users", "add", "bob", "--role", "viewer").outLines().get(0);
        for (String command : new String[] {"disable", "enable", "rotate"}) {
            CliRun run = CliRun.run(db.settings(), "users", command, "nobody");
            assertThat(run.exitCode()).as(command).isEqualTo(2);
            assertThat(run.err()).as(command).contains("no user named nobody");
            assertThat(run.out()).as(command).isEmpty();
        }
        assertThat(new Users(db.dsl(), java.time.Clock.systemUTC()).authenticate(bob)).isPresent();
        assertThat(db.dsl().fetchCount(APP_USER)).isEqualTo(1);
    }

    @Test
    void theOnlyEnabledAdminCannotBeDisabledAnotherCan() {
        Users users = new Users(db.dsl(), java.time.Clock.systemUTC());
        String ada = users.add("ada", Role.ADMIN, "test").token();
        users.add("ops-bot", Role.OPS, "test");

        CliRun refused = CliRun.run(db.settings(), "users", "disable", "ada");
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err()).contains("ada is the only enabled admin; add or enable another admin first");
        assertThat(users.authenticate(ada)).as("still works").isPresent();

        users.add("bea", Role.ADMIN, "test");
        assertThat(CliRun.run(db.settings(), "users", "disable", "ada").exitCode()).isZero();
        assertThat(users.authenticate(ada)).isEmpty();
        assertThat(CliRun.run(db.settings(), "users", "disable", "bea").exitCode()).as("now the last one").isEqualTo(2);
        assertThat(CliRun.run(db.settings(), "users", "disable", "ops-bot").exitCode()).as("not an admin").isZero();
    }

    /** Two admins disabling each other at once: one of them stays (the admins' rows are locked first). */
    @Test
    void twoAdminsDisabledAtOnceLeaveOne() throws Exception {
        for (int round = 0; round < 5; round++) {
            db.dsl().deleteFrom(APP_USER).execute();
            Users users = new Users(db.dsl(), java.time.Clock.systemUTC());
            users.add("ada", Role.ADMIN, "test");
            users.add("bea", Role.ADMIN, "test");
            var start = new java.util.concurrent.CyclicBarrier(2);
            var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
            try {
                var outcomes = new java.util.ArrayList<java.util.concurrent.Future<String>>();
                for (String name : new String[] {"ada", "bea"}) {
                    outcomes.add(pool.submit(() -> {
                        start.await();
                        try {
                            return users.disable(name, "test") ? "disabled" : "unchanged";
                        } catch (Users.LastAdmin e) {
                            return "refused";
                        }
                    }));
                }
                assertThat(java.util.List.of(outcomes.get(0).get(), outcomes.get(1).get()))
                        .as("round " + round).containsExactlyInAnyOrder("disabled", "refused");
                assertThat(db.dsl().fetchCount(APP_USER, APP_USER.DISABLED_AT.isNull())).isEqualTo(1);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void rolesIncludeTheWeakerOnes() {
        assertThat(Role.ADMIN.includes(Role.OPS)).isTrue();
        assertThat(Role.OPS.includes(Role.VIEWER)).isTrue();
        assertThat(Role.VIEWER.includes(Role.OPS)).isFalse();
        assertThat(Role.OPS.includes(Role.ADMIN)).isFalse();
    }
}
