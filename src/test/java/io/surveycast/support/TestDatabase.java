package io.surveycast.support;

import io.surveycast.config.Database;
import io.surveycast.config.Settings;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;

/**
 * One embedded PostgreSQL for the whole test run; each test gets its own database, copied from
 * a migrated template, so tests never see each other's rows and migrations run once.
 */
public final class TestDatabase {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static EmbeddedPostgres server;

    private TestDatabase() {
    }

    private static synchronized EmbeddedPostgres server() {
        if (server == null) {
            try {
                var builder = EmbeddedPostgres.builder();
                if (Boolean.getBoolean("pgss")) {
                    builder.setServerConfig("shared_preload_libraries", "pg_stat_statements,auto_explain")
                            .setServerConfig("pg_stat_statements.track", "all")
                            .setServerConfig("auto_explain.log_min_duration", System.getProperty("explain.ms", "-1"))
                            .setServerConfig("auto_explain.log_analyze", "on")
                            .setServerConfig("auto_explain.log_buffers", "on")
                            .setServerConfig("auto_explain.log_nested_statements", "on")
                            .setServerConfig("logging_collector", "on")
                            .setServerConfig("log_directory", "/tmp/pglog");
                }
                server = builder
                        .setDataDirectory(dataDirectory())
                        .setCleanDataDirectory(false)
                        .setServerConfig("shared_buffers", "512MB")
                        .setServerConfig("work_mem", "32MB")
                        .setServerConfig("max_wal_size", "4GB")
                        .start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            execute("create database surveycast_template");
            Flyway.configure()
                    .dataSource(url("surveycast_template"), "postgres", null)
                    .locations("classpath:db/migration")
                    .load()
                    .migrate();
            execute("alter database surveycast_template is_template true");
        }
        return server;
    }

    /**
     * The server's files go under target/, one folder per test JVM, and are left at exit: deleting
     * a few hundred databases' files took longer than Surefire's 30 s exit timeout on a busy
     * machine, so the fork was killed. Folders of JVMs no longer running go in the background.
     */
    private static Path dataDirectory() {
        Path root = Path.of("target", "test-postgres");
        long pid = ProcessHandle.current().pid();
        Thread sweeper = new Thread(() -> removeStaleFolders(root, pid), "test-postgres-sweeper");
        sweeper.setDaemon(true);
        sweeper.start();
        return root.resolve(Long.toString(pid)).toAbsolutePath();
    }

    private static void removeStaleFolders(Path root, long pid) {
        try (Stream<Path> folders = Files.list(root)) {
            folders.filter(f -> !f.getFileName().toString().equals(Long.toString(pid)))
                    .filter(f -> !isRunning(f.getFileName().toString()))
                    .forEach(TestDatabase::deleteTree);
        } catch (IOException | UncheckedIOException e) {
            // nothing to sweep yet, or a folder went meanwhile
        }
    }

    private static void deleteTree(Path folder) {
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // another JVM's sweeper got there first
        }
    }

    private static boolean isRunning(String pid) {
        try {
            return ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** A new, migrated, empty database; its JDBC URL. */
    public static String freshUrl() {
        server();
        String name = "t" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
        execute("create database " + name + " template surveycast_template");
        return url(name);
    }

    /** A new database with no schema at all. */
    public static String emptyUrl() {
        server();
        String name = "e" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
        execute("create database " + name);
        return url(name);
    }

    /** Settings pointing at a fresh database, plus the given variables. */
    public static Settings settings(String url, Map<String, String> more) {
        Map<String, String> env = new HashMap<>(more);
        env.put("SURVEYCAST_DB_URL", url);
        env.put("SURVEYCAST_DB_USER", "postgres");
        return Settings.of(env);
    }

    public static Database open(String url) {
        return Database.open(settings(url, Map.of()), 4);
    }

    private static String url(String database) {
        return "jdbc:postgresql://localhost:" + server.getPort() + "/" + database;
    }

    private static void execute(String sql) {
        try (Connection c = server.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }
}
