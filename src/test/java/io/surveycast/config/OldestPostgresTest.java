package io.surveycast.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.surveycast.support.CliRun;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.Map;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The oldest PostgreSQL major the README promises (13) runs the migrations and the everyday commands,
 * and the commands print nothing but their output: jOOQ's "Version mismatch" warning (its open-source
 * dialect is written for the newest PostgreSQL) stays out of every command's stderr.
 * The PostgreSQL 13 binaries are copied to target/ by the build (maven-dependency-plugin).
 */
class OldestPostgresTest {
    private static final String BINARIES = System.getProperty("surveycast.oldest-postgres", "");

    @TempDir
    Path dir;

    @Test
    void commandsRunOnPostgres13WithoutWarnings() throws Exception {
        assumeTrue(System.getProperty("os.name").startsWith("Linux") && System.getProperty("os.arch").equals("amd64"),
                "the PostgreSQL 13 binaries fetched by the build are for Linux x86-64");
        assumeTrue(Files.isRegularFile(Path.of(BINARIES)), "no PostgreSQL 13 binaries at " + BINARIES);
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        root.addAppender(logged);
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setPgBinaryResolver((system, machine) -> binaries(system, machine))
                .setDataDirectory(dir.resolve("pg13"))
                .start()) {
            try (Connection c = postgres.getPostgresDatabase().getConnection();
                 ResultSet version = c.createStatement().executeQuery("show server_version_num")) {
                version.next();
                assertThat(version.getInt(1) / 10000).isEqualTo(13);
            }
            Settings settings = Settings.of(Map.of(
                    "SURVEYCAST_DB_URL", "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres",
                    "SURVEYCAST_DB_USER", "postgres"));

            ok(CliRun.run(settings, "migrate"));
            ok(CliRun.run(settings, "campaigns", "apply", "campaigns"));
            ok(CliRun.run(settings, "contacts", "import", "docs/examples/contacts.csv"));
            ok(CliRun.run(settings, "run-due", "--at", "2027-04-06T14:00:00Z", "--until", "2027-04-08T00:00:00Z",
                    "--step", "PT12H"));
            ok(CliRun.run(settings, "forecast", "--days", "3"));
            CliRun report = CliRun.run(settings, "report", "--by", "channel");
            ok(report);
            assertThat(report.out()).contains("email");
        } finally {
            root.detachAppender(logged);
        }
        assertThat(logged.list).extracting(ILoggingEvent::getFormattedMessage)
                .noneMatch(message -> message.contains("Version mismatch"));
    }

    private static void ok(CliRun run) {
        assertThat(run.exitCode()).as(run.err()).isZero();
    }

    private static InputStream binaries(String system, String machine) throws java.io.IOException {
        ZipFile jar = new ZipFile(BINARIES);
        var entry = jar.getEntry(("postgres-" + system + "-" + machine + ".txz").toLowerCase(java.util.Locale.ROOT));
        if (entry == null) {
            jar.close();
            throw new java.io.IOException("no PostgreSQL binaries for " + system + "-" + machine + " in " + BINARIES);
        }
        return new java.io.FilterInputStream(jar.getInputStream(entry)) {
            @Override
            public void close() throws java.io.IOException {
                super.close();
                jar.close();
            }
        };
    }
}
