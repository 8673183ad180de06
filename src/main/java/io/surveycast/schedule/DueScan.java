package io.surveycast.schedule;

import io.surveycast.config.DatabaseOutage;
import io.surveycast.plan.PlanCounts;
import io.surveycast.plan.Planner;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The due-scan the scheduler fires: everything due at the process clock's now. When the process
 * stops, a scan still running is cancelled (its open transaction rolls back, what it committed
 * stays) and left to the next scan, on this node after a restart or on another one.
 */
public final class DueScan {
    private static final Logger LOG = LoggerFactory.getLogger(DueScan.class);
    private final DueRunner runner;
    private final Clock clock;
    private final CancellableConnections connections;
    private volatile boolean running;

    public DueScan(DSLContext dsl, Planner planner, Clock clock) {
        this.connections = new CancellableConnections(dsl.configuration().connectionProvider());
        this.runner = new DueRunner(dsl.configuration().derive(connections).dsl(), planner);
        this.clock = clock;
    }

    public PlanCounts runNow() {
        if (connections.isCancelled()) {
            return new PlanCounts();
        }
        running = true;
        try {
            PlanCounts counts = runner.runAt(clock.instant());
            DatabaseOutage.process().reached();
            return counts;
        } catch (RuntimeException e) {
            if (connections.isCancelled()) {
                LOG.info("due-scan cancelled: the process is stopping; the next scan completes it");
                return new PlanCounts();
            }
            if (DatabaseOutage.isConnectionLoss(e)) {
                DatabaseOutage.process().lost("the due-scan", e); // the next firing catches up
                return new PlanCounts();
            }
            throw e;
        } finally {
            running = false;
        }
    }

    /**
     * Cancels a running scan and any later one, waiting up to {@code patience} for the running
     * one to give its connections back.
     */
    public void cancel(Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        do {
            connections.cancel(); // again while it runs: a statement started after the last cancel
        } while ((running || connections.inUse()) && System.nanoTime() < deadline
                && parked(Duration.ofMillis(50)));
    }

    private static boolean parked(Duration d) {
        LockSupport.parkNanos(d.toNanos());
        return true;
    }
}
