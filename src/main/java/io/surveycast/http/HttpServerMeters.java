package io.surveycast.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Handler;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;

/**
 * {@code http_server_requests_seconds{method, route, status}}: every request the server answers,
 * timed from its arrival to the end of its answer, into the Micrometer registry bound as
 * {@code metricsRegistry} (none bound: nothing is recorded). {@code route} is the path template of
 * the route that answered ({@code /s/:token}), never the path itself, so a survey token or a
 * scanner's made-up paths add no series; requests no route took are {@code unmatched}.
 */
final class HttpServerMeters implements Handler<RoutingContext> {
    static final String REGISTRY = "metricsRegistry";
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");
    /** Histogram buckets: enough to tell a page (ms) from a report (s) without a series per percentile. */
    private static final Duration[] BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
        Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};

    private final CamelContext context;
    private volatile MeterRegistry registry;

    HttpServerMeters(CamelContext context) {
        this.context = context;
    }

    @Override
    public void handle(RoutingContext request) {
        MeterRegistry meters = registry();
        if (meters != null) {
            long start = System.nanoTime();
            request.addEndHandler(done -> record(meters, request, System.nanoTime() - start));
        }
        request.next();
    }

    private MeterRegistry registry() {
        MeterRegistry found = registry;
        if (found == null) {
            found = context.getRegistry().lookupByNameAndType(REGISTRY, MeterRegistry.class);
            registry = found;
        }
        return found;
    }

    private static void record(MeterRegistry meters, RoutingContext request, long nanos) {
        String method = request.request().method().name();
        Timer.builder("http.server.requests")
                .description("HTTP requests by method, route (path template) and status")
                .tags("method", METHODS.contains(method) ? method : "other", "route", route(request),
                        "status", Integer.toString(request.response().getStatusCode()))
                .serviceLevelObjectives(BUCKETS)
                .register(meters)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    private static String route(RoutingContext request) {
        Route route = request.currentRoute();
        String path = route == null ? null : route.getPath();
        return path == null ? "unmatched" : path;
    }
}
