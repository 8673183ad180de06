package io.surveycast.schedule;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jooq.ConnectionProvider;
import org.jooq.exception.DataAccessException;
import org.postgresql.core.BaseConnection;

/**
 * The pool's connections, as one piece of work (a due-scan) takes them: {@link #cancel()} asks
 * PostgreSQL to cancel whatever statement runs on them now, and refuses further connections
 * from then on, so a long scan can be stopped at once when the process stops.
 */
final class CancellableConnections implements ConnectionProvider {
    private final ConnectionProvider pool;
    private final Set<Connection> inUse = ConcurrentHashMap.newKeySet();
    private volatile boolean cancelled;

    CancellableConnections(ConnectionProvider pool) {
        this.pool = pool;
    }

    @Override
    public Connection acquire() {
        if (cancelled) {
            throw new DataAccessException("cancelled: the process is stopping");
        }
        Connection c = pool.acquire();
        inUse.add(c);
        return c;
    }

    @Override
    public void release(Connection connection) {
        inUse.remove(connection);
        pool.release(connection);
    }

    /** Cancels the statements running on the connections in use now; returns how many were in use. */
    int cancel() {
        cancelled = true;
        int n = 0;
        for (Connection c : inUse) {
            try {
                c.unwrap(BaseConnection.class).cancelQuery();
                n++;
            } catch (SQLException | RuntimeException gone) {
                // the connection is closing or already released: nothing runs on it
            }
        }
        return n;
    }

    boolean isCancelled() {
        return cancelled;
    }

    boolean inUse() {
        return !inUse.isEmpty();
    }
}
