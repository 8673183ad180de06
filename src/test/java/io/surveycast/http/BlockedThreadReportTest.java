package io.surveycast.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.surveycast.config.InvalidInputException;
import io.surveycast.config.Settings;
import io.surveycast.support.CapturedLog;
import io.vertx.core.impl.btc.BlockedThreadEvent;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Vert.x's checker reports a thread at each look while its task runs over: said once per task. */
class BlockedThreadReportTest {
    final AtomicLong now = new AtomicLong(1_000_000_000_000L);
    final BlockedThreadReport report = new BlockedThreadReport(now::get);
    final Thread worker = new Thread("worker-a");
    final Thread other = new Thread("worker-b");

    @Test
    void aTaskRunningOverIsSaidOnceAndTheThreadsNextTaskThatRunsOverAgain() {
        try (CapturedLog log = new CapturedLog()) {
            look(Duration.ZERO, worker, Duration.ofMillis(1_200));
            look(Duration.ofSeconds(1), worker, Duration.ofMillis(2_200)); // the same task, a second later
            look(Duration.ofSeconds(1), worker, Duration.ofMillis(3_201));
            look(Duration.ofMillis(20), other, Duration.ofMillis(1_000)); // another thread
            look(Duration.ofSeconds(3), worker, Duration.ofMillis(1_100)); // a new task on the first thread
            look(Duration.ofSeconds(1), worker, Duration.ofMillis(2_100));

            assertThat(log.containing("has been blocked")).containsExactly(
                    "WARN io.surveycast.http.BlockedThreadReport - Thread worker-a has been blocked for 1200 ms, "
                            + "time limit is 1000 ms (said once per task) [with io.vertx.core.VertxException]",
                    "WARN io.surveycast.http.BlockedThreadReport - Thread worker-b has been blocked for 1000 ms, "
                            + "time limit is 1000 ms (said once per task) [with io.vertx.core.VertxException]",
                    "WARN io.surveycast.http.BlockedThreadReport - Thread worker-a has been blocked for 1100 ms, "
                            + "time limit is 1000 ms (said once per task) [with io.vertx.core.VertxException]");
        }
    }

    @Test
    void theWorkersLimitIsADurationOfASecondOrMoreFiveMinutesUnlessSet() {
        assertThat(HttpConfiguration.workerWarnAfter(Settings.of(Map.of()))).isEqualTo(Duration.ofMinutes(5));
        assertThat(HttpConfiguration.workerWarnAfter(Settings.of(Map.of("SURVEYCAST_HTTP_WORKER_WARN_AFTER", "PT90S"))))
                .isEqualTo(Duration.ofSeconds(90));
        assertThatThrownBy(() -> HttpConfiguration.workerWarnAfter(Settings.of(Map.of("SURVEYCAST_HTTP_WORKER_WARN_AFTER", "5m"))))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("SURVEYCAST_HTTP_WORKER_WARN_AFTER: not an ISO-8601 duration: 5m");
        assertThatThrownBy(() -> HttpConfiguration.workerWarnAfter(Settings.of(Map.of("SURVEYCAST_HTTP_WORKER_WARN_AFTER", "PT0.5S"))))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("SURVEYCAST_HTTP_WORKER_WARN_AFTER: at least PT1S (how often Vert.x checks its threads): PT0.5S");
    }

    private void look(Duration later, Thread thread, Duration blockedFor) {
        now.addAndGet(later.toNanos());
        report.handle(new BlockedThreadEvent(thread, blockedFor.toNanos(), Duration.ofSeconds(1).toNanos(),
                Duration.ofSeconds(5).toNanos()));
    }
}
