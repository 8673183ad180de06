package io.surveycast.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.surveycast.support.ApiServer;
import io.surveycast.support.FreshDatabase;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class OutboxGaugesTest {
    @RegisterExtension
    final FreshDatabase db = new FreshDatabase();
    final ExecutorService reader = Executors.newSingleThreadExecutor();
    final AtomicLong ticker = new AtomicLong();
    final AtomicInteger reads = new AtomicInteger();

    @AfterEach
    void stop() {
        reader.shutdownNow();
    }

    PrometheusMeterRegistry registry(DSLContext dsl) {
        OutboxQueries queries = new OutboxQueries(dsl);
        CachedReading<OutboxReading> reading = new CachedReading<>(() -> {
            reads.incrementAndGet();
            return queries.read(ApiServer.CLOCK.instant());
        }, OutboxReading.UNAVAILABLE, Duration.ofSeconds(5), MetricsConfiguration.PATIENCE, ticker::get, reader);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        OutboxGauges.register(registry, reading, ApiServer.CLOCK);
        return registry;
    }

    /** Scrapes within the maximum age share one reading; the next one after it reads again. */
    @Test
    void scrapesShareOneReadingForAFewSeconds() throws Exception {
        PrometheusMeterRegistry registry = registry(db.dsl());
        Exposition first = new Exposition(registry.scrape());
        assertThat(first.value("surveycast_metrics_database_up")).isEqualTo(1);
        assertThat(first.value("surveycast_outbox_messages{channel=\"email\",status=\"due\"}")).isZero();
        for (int i = 0; i < 20; i++) {
            registry.scrape();
        }
        System.gc(); // the gauges must hold their reading: a collected one reads NaN
        assertThat(new Exposition(registry.scrape()).value("surveycast_metrics_database_up")).isEqualTo(1);
        ticker.addAndGet(Duration.ofSeconds(4).toNanos());
        registry.scrape();
        assertThat(reads).as("database readings for 23 scrapes within 4 s").hasValue(1);
        ticker.addAndGet(Duration.ofSeconds(1).toNanos());
        registry.scrape();
        assertThat(reads).as("after 5 s").hasValue(2);
    }

    /**
     * A database that cannot be reached (a pool that waits 20 s for a connection) neither fails nor
     * stalls the scrape: it answers within the patience, with NaN figures and up 0, and is asked
     * once per maximum age, not on every scrape.
     */
    @Test
    void aDatabaseThatIsAwayNeitherFailsNorStallsTheScrape() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:postgresql://127.0.0.1:" + closedPort + "/none");
        config.setUsername("postgres");
        config.setInitializationFailTimeout(-1);
        config.setConnectionTimeout(20_000);
        try (HikariDataSource away = new HikariDataSource(config)) {
            PrometheusMeterRegistry registry = registry(DSL.using(away, SQLDialect.POSTGRES));
            long start = System.nanoTime();
            String scrape = registry.scrape();
            long millis = (System.nanoTime() - start) / 1_000_000;
            Exposition metrics = new Exposition(scrape);
            assertThat(millis).as("scrape time, ms").isLessThan(MetricsConfiguration.PATIENCE.toMillis() + 1000);
            assertThat(metrics.value("surveycast_metrics_database_up")).isZero();
            assertThat(metrics.value("surveycast_outbox_messages{channel=\"sms\",status=\"due\"}")).isNaN();
            assertThat(metrics.value("surveycast_outbox_oldest_due_age_seconds{channel=\"sms\"}")).isNaN();
            assertThat(metrics.value("surveycast_notification_outbox{status=\"due\"}")).isNaN();
            for (int i = 0; i < 10; i++) {
                registry.scrape();
            }
            assertThat(reads).as("readings started").hasValue(1);
        }
    }
}
