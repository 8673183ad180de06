package io.surveycast.config;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded PostgreSQL whose data lives in a directory that survives restarts. When another
 * surveycast process (say {@code serve}) already runs a server on that directory, this one
 * connects to it instead of starting a second, so CLI commands work beside a running server.
 */
final class EmbeddedPostgresServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
    private static final Duration STARTUP_WAIT = Duration.ofSeconds(60);

    private final Path directory;
    private final int port;
    private final EmbeddedPostgres owned;

    private EmbeddedPostgresServer(Path directory, int port, EmbeddedPostgres owned) {
        this.directory = directory;
        this.port = port;
        this.owned = owned;
    }

    static EmbeddedPostgresServer startOrAttach(Path directory) {
        Path absolute = directory.toAbsolutePath().normalize();
        try {
            Files.createDirectories(absolute);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create " + absolute + ": " + e.getMessage(), e);
        }
        // Two processes started together (the README's `serve &` and the next command) both found no
        // server and both started one: the loser failed on PostgreSQL's own lock. One starts it
        // while the other waits on this lock, then finds it running and attaches.
        synchronized (EmbeddedPostgresServer.class) {
            Path lockFile = absolute.resolveSibling(absolute.getFileName() + ".start-lock");
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = channel.lock()) {
                return startOrAttachLocked(absolute);
            } catch (IOException e) {
                throw new IllegalStateException("cannot lock " + lockFile + ": " + e.getMessage(), e);
            }
        }
    }

    private static EmbeddedPostgresServer startOrAttachLocked(Path absolute) {
        Integer running = runningPort(absolute);
        if (running != null) {
            LOG.info("using the embedded PostgreSQL already running on {} (port {})", absolute, running);
            return new EmbeddedPostgresServer(absolute, running, null);
        }
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(absolute)
                    .setCleanDataDirectory(false)
                    // stopped by Database's own hook, after what uses it has stopped (not at the same time)
                    .setRegisterShutdownHook(false)
                    // the first start runs initdb: 10 s (the default) was not enough on a busy machine
                    .setPGStartupWait(STARTUP_WAIT)
                    .setServerConfig("max_connections", "100")
                    .setServerConfig("fsync", "on")
                    // room for waves of a million invitations without checkpoints in the middle
                    .setServerConfig("shared_buffers", "512MB")
                    .setServerConfig("work_mem", "32MB")
                    .setServerConfig("max_wal_size", "4GB")
                    .start();
            return new EmbeddedPostgresServer(absolute, postgres.getPort(), postgres);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the embedded PostgreSQL in " + absolute + ": " + e.getMessage(), e);
        }
    }

    /** The port of a live postmaster on this directory, from its postmaster.pid, or null. */
    private static Integer runningPort(Path directory) {
        Path pidFile = directory.resolve("postmaster.pid");
        try {
            if (!Files.isRegularFile(pidFile)) {
                return null;
            }
            List<String> lines = Files.readAllLines(pidFile);
            if (lines.size() < 4) {
                return null;
            }
            long pid = Long.parseLong(lines.get(0).trim());
            boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
            return alive ? Integer.valueOf(lines.get(3).trim()) : null;
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }

    String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port + "/postgres";
    }

    int port() {
        return port;
    }

    Path directory() {
        return directory;
    }

    @Override
    public void close() {
        if (owned != null) {
            try {
                owned.close();
            } catch (IOException e) {
                LOG.warn("embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
            }
        }
    }
}
