package io.surveycast.metrics;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.surveycast.config.Settings;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.sql.DataSource;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;
import org.jooq.DSLContext;
import org.jooq.impl.DataSourceConnectionProvider;

/**
 * The metrics feature's beans. The Prometheus registry is bound under Camel's name for it
 * ({@code metricsRegistry}), so Camel's own meters (routes, exchanges, JVM binders: camel-main's
 * metrics, turned on in {@code App.camel}) land in the same registry as ours and {@code /metrics}
 * shows them all.
 */
public final class MetricsConfiguration implements CamelConfiguration {
    /** How long the outbox figures are kept before a scrape reads the database again ({@code SURVEYCAST_METRICS_MAX_AGE}). */
    static final Duration MAX_AGE = Duration.ofSeconds(5);
    /** How long a scrape waits for a fresh reading before it takes the last one. */
    static final Duration PATIENCE = Duration.ofSeconds(2);

    private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ExecutorService reader = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().daemon().name("metrics-reader").factory());

    /**
     * The registry, to be bound as {@code metricsRegistry} before Camel Main configures anything
     * ({@code Main.bind}): camel-main's metrics service looks it up when it starts, before any
     * configuration's beans are bound, and would otherwise make a registry of its own.
     */
    public PrometheusMeterRegistry registry() {
        return meters;
    }

    /**
     * Binds the other beans in {@code configure}, not by {@code @BindToRegistry} methods: those are bound
     * before any configuration's {@code configure} runs, when {@code settings}, {@code clock} and
     * {@code dsl} (bound by the app's configuration) are not there yet.
     */
    @Override
    public void configure(CamelContext camelContext) {
        Registry registry = camelContext.getRegistry();
        Settings settings = registry.lookupByNameAndType("settings", Settings.class);
        Clock clock = registry.lookupByNameAndType("clock", Clock.class);
        DSLContext dsl = registry.lookupByNameAndType("dsl", DSLContext.class);
        Duration maxAge = Duration.parse(settings.get("surveycast.metrics.max-age", MAX_AGE.toString()).strip());
        OutboxGauges.register(meters, outbox(dsl, clock, reader, maxAge), clock);
        poolMetrics(dsl, meters);
        registry.bind("metricsEndpoint", new MetricsEndpoint(meters, settings.get("surveycast.metrics.token").orElse(null)));
        registry.bind("dispatchMeters", new DispatchMeters(meters));
        registry.bind("planningMeters", new PlanningMeters(meters));
        camelContext.addLifecycleStrategy(new org.apache.camel.support.LifecycleStrategySupport() {
            @Override
            public void onContextStopped(CamelContext context) {
                reader.shutdownNow();
            }
        });
    }

    static CachedReading<OutboxReading> outbox(DSLContext dsl, Clock clock, java.util.concurrent.Executor reader,
                                               Duration maxAge) {
        OutboxQueries queries = new OutboxQueries(dsl);
        return new CachedReading<>(() -> queries.read(clock.instant()), OutboxReading.UNAVAILABLE, maxAge, PATIENCE,
                System::nanoTime, reader);
    }

    /** HikariCP's own meters ({@code hikaricp_connections_*}) for the pool behind {@code dsl}. */
    private static void poolMetrics(DSLContext dsl, MeterRegistry meters) {
        if (dsl.configuration().connectionProvider() instanceof DataSourceConnectionProvider provider) {
            DataSource dataSource = provider.dataSource();
            if (dataSource instanceof HikariDataSource hikari && hikari.getMetricRegistry() == null) {
                hikari.setMetricRegistry(meters);
            }
        }
    }
}
