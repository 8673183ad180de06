package io.surveycast.config;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The database going away and coming back, told in two lines (lost, back) however many pieces of
 * work fail meanwhile: an expected fault, so no statement text and no stack trace. Shared by the
 * periodic work of the process (the dispatcher, the due-scan).
 */
public final class DatabaseOutage {
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseOutage.class);
    private static final DatabaseOutage PROCESS = new DatabaseOutage();
    private volatile boolean down;
    private long since;
    private long failures;

    DatabaseOutage() {
    }

    /** The one of this process. */
    public static DatabaseOutage process() {
        return PROCESS;
    }

    /**
     * Whether {@code e} says the database cannot be reached (connection refused or broken, the
     * server shutting down or starting, no connection from the pool in time) rather than a fault
     * of the statement.
     */
    public static boolean isConnectionLoss(Throwable e) {
        for (Throwable x = e; x != null; x = x.getCause() == x ? null : x.getCause()) {
            if (x instanceof SQLTransientConnectionException || x instanceof ConnectException) {
                return true;
            }
            if (x instanceof SQLException s && s.getSQLState() != null
                    && (s.getSQLState().startsWith("08") || s.getSQLState().startsWith("57P"))) {
                return true; // connection exceptions; admin/crash shutdown, cannot connect now
            }
        }
        return false;
    }

    /** {@code what} failed because the database is away; logged once per outage. */
    public synchronized void lost(String what, Throwable e) {
        failures++;
        if (!down) {
            down = true;
            since = System.nanoTime();
            LOG.warn("database lost ({} failed: {}); work resumes once it is back", what, reason(e));
        }
    }

    /** Work went through: if the database was away, say it is back. */
    public void reached() {
        if (down) { // racy read on purpose: the usual case costs no lock
            synchronized (this) {
                if (down) {
                    LOG.info("database back after {} ms ({} pieces of work failed meanwhile)",
                            Duration.ofNanos(System.nanoTime() - since).toMillis(), failures);
                    down = false;
                    failures = 0;
                }
            }
        }
    }

    public synchronized boolean isDown() {
        return down;
    }

    /** The innermost message, first line only: never the statement. */
    private static String reason(Throwable e) {
        Throwable root = e;
        for (Throwable x = e; x != null; x = x.getCause() == x ? null : x.getCause()) {
            root = x;
            if (x instanceof SQLException) {
                break;
            }
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.lines().findFirst().orElse("").strip();
    }
}
