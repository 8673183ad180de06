package io.surveycast.http;

import io.vertx.core.Handler;
import io.vertx.core.VertxException;
import io.vertx.core.VertxOptions;
import io.vertx.core.impl.btc.BlockedThreadEvent;
import java.time.Duration;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says once, with the thread's stack, that a Vert.x thread has run one task past its time limit.
 * Vert.x's checker looks at every thread each {@link #CHECK_INTERVAL} and its own handler warns at
 * each look for as long as the task runs: slow pages and reports logged a warning with a stack trace
 * every second (592 in one benchmark run). The checker is one timer for the event loops and the workers alike, so a longer interval
 * would blind it to a blocked event loop; instead this handler remembers when the task it last
 * reported on each thread began, and stays quiet until that thread runs over with another task.
 */
final class BlockedThreadReport implements Handler<BlockedThreadEvent> {
    static final Duration CHECK_INTERVAL = Duration.ofMillis(VertxOptions.DEFAULT_BLOCKED_THREAD_CHECK_INTERVAL);
    private static final Logger LOG = LoggerFactory.getLogger(BlockedThreadReport.class);
    /**
     * Two reports of one task give the same start, up to the moment between the checker's reading
     * of the clock and this handler's; another task on that thread began after the first was
     * reported, at least its time limit (1 s or more) later.
     */
    private static final long SAME_TASK_NANOS = CHECK_INTERVAL.toNanos() / 2;

    private final Map<Thread, Long> reportedStart = new WeakHashMap<>();
    /** Vert.x's checker measures with {@link System#nanoTime}: the same clock, to tell when a task began. */
    private final LongSupplier nanoTime;

    BlockedThreadReport() {
        this(System::nanoTime);
    }

    BlockedThreadReport(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    @Override
    public void handle(BlockedThreadEvent event) {
        long start = nanoTime.getAsLong() - event.duration();
        Long reported;
        synchronized (reportedStart) {
            reported = reportedStart.put(event.thread(), start);
        }
        if (reported != null && Math.abs(start - reported) < SAME_TASK_NANOS) {
            return;
        }
        VertxException where = new VertxException("Thread blocked");
        where.setStackTrace(event.thread().getStackTrace());
        LOG.warn("Thread {} has been blocked for {} ms, time limit is {} ms (said once per task)", event.thread().getName(),
                TimeUnit.NANOSECONDS.toMillis(event.duration()), TimeUnit.NANOSECONDS.toMillis(event.maxExecTime()), where);
    }
}
