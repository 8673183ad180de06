package io.surveycast.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.surveycast.campaign.FatiguePolicy;
import io.surveycast.plan.PlanCounts;
import io.surveycast.plan.PlanSession;
import io.surveycast.plan.Planner;
import io.surveycast.support.FreshDatabase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The scheduler's due-scan when the process stops (issue 18, point 6). */
class DueScanTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-06-01T12:00:00Z"), ZoneOffset.UTC);

    @RegisterExtension
    final FreshDatabase db = new FreshDatabase();

    @Test
    void aScanStillRunningWhenTheProcessStopsIsCancelledAtOnceAndLeftToTheNext() throws Exception {
        Planner planner = new Planner(FatiguePolicy.DEFAULT);
        DueScan scan = new DueScan(db.dsl(), planner, CLOCK);
        // another node's scan holds the planning lock: this one waits in PostgreSQL, as a long scan would run there
        try (PlanSession other = planner.session(db.dsl())) {
            CompletableFuture<PlanCounts> running = CompletableFuture.supplyAsync(scan::runNow);
            Thread.sleep(500);
            assertThat(running).as("waiting in the database").isNotDone();
            long start = System.nanoTime();
            scan.cancel(Duration.ofSeconds(5));
            PlanCounts counts = running.get(2, TimeUnit.SECONDS);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("cancelled within a second")
                    .isLessThan(1000);
            assertThat(counts.invited()).isZero();
            assertThat(scan.runNow().invited()).as("no scan starts once stopping").isZero();
        }
        // the lock was never taken by the cancelled scan: the next scan (another node) runs
        assertThat(new DueScan(db.dsl(), planner, CLOCK).runNow().invited()).isZero();
    }
}
