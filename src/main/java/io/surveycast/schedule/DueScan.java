package io.surveycast.schedule;

import io.surveycast.plan.PlanCounts;
import java.time.Clock;

/** The due-scan the scheduler fires: everything due at the process clock's now. */
public final class DueScan {
    private final DueRunner runner;
    private final Clock clock;

    public DueScan(DueRunner runner, Clock clock) {
        this.runner = runner;
        this.clock = clock;
    }

    public PlanCounts runNow() {
        return runner.runAt(clock.instant());
    }
}
