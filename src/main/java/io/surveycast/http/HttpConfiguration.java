package io.surveycast.http;

import io.surveycast.config.InvalidInputException;
import io.surveycast.config.Settings;
import io.vertx.core.VertxOptions;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.concurrent.TimeUnit;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;

/**
 * The HTTP server's Vert.x: camel-platform-http-vertx's server ({@link GatedHttpServer}) builds its
 * Vert.x from the one {@link VertxOptions} bean in the registry.
 */
public final class HttpConfiguration implements CamelConfiguration {
    static final String WORKER_WARN_AFTER = "surveycast.http.worker-warn-after";
    static final Duration DEFAULT_WORKER_WARN_AFTER = Duration.ofMinutes(5);

    private final Duration workerWarnAfter;

    /** Reads the settings at once: a bad value stops {@code serve} before anything starts (exit 2). */
    public HttpConfiguration(Settings settings) {
        this.workerWarnAfter = workerWarnAfter(settings);
    }

    /**
     * A page or report may keep its worker thread for minutes (a large breakdown) before that is
     * worth a warning ({@link #WORKER_WARN_AFTER}, default 5 minutes; Vert.x's own is 60 s); the
     * event loops keep Vert.x's 2 s. {@link BlockedThreadReport} says each once.
     */
    @BindToRegistry("vertxOptions")
    VertxOptions vertxOptions() {
        return new VertxOptions()
                .setMaxWorkerExecuteTime(workerWarnAfter.toMillis())
                .setMaxWorkerExecuteTimeUnit(TimeUnit.MILLISECONDS);
    }

    static Duration workerWarnAfter(Settings settings) {
        String value = settings.get(WORKER_WARN_AFTER, DEFAULT_WORKER_WARN_AFTER.toString());
        try {
            Duration after = Duration.parse(value);
            if (after.compareTo(BlockedThreadReport.CHECK_INTERVAL) < 0) {
                throw new InvalidInputException(Settings.envName(WORKER_WARN_AFTER) + ": at least "
                        + BlockedThreadReport.CHECK_INTERVAL + " (how often Vert.x checks its threads): " + value);
            }
            return after;
        } catch (DateTimeParseException e) {
            throw new InvalidInputException(Settings.envName(WORKER_WARN_AFTER) + ": not an ISO-8601 duration: " + value);
        }
    }
}
