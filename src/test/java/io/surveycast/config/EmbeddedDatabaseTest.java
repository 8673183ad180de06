package io.surveycast.config;

import static io.surveycast.db.Tables.APP_USER;
import static org.assertj.core.api.Assertions.assertThat;

import io.surveycast.user.Role;
import io.surveycast.user.Users;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedDatabaseTest {

    @Test
    void dataPersistsInTheDataDirectoryAcrossRestartsAndASecondProcessAttaches(@TempDir Path dataDir) {
        Settings settings = Settings.of(Map.of("SURVEYCAST_DATA_DIR", dataDir.toString()));
        try (Database first = Database.open(settings, 2)) {
            assertThat(first.isEmbedded()).isTrue();
            first.migrate();
            new Users(first.dsl(), Clock.systemUTC()).add("alice", Role.ADMIN, "test");

            try (Database second = Database.open(settings, 2)) {
                assertThat(second.description()).isEqualTo(first.description());
                assertThat(second.dsl().fetchCount(APP_USER)).isEqualTo(1);
            }
            assertThat(first.isReachable()).as("closing the attached one leaves the server running").isTrue();
        }
        assertThat(Files.exists(dataDir.resolve("postgres/postmaster.pid"))).as("server stopped").isFalse();

        try (Database again = Database.open(settings, 2)) {
            assertThat(again.migrate()).isZero();
            assertThat(again.dsl().fetchValue(APP_USER.NAME)).isEqualTo("alice");
        }
    }
}
