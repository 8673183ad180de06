package io.surveycast;

import io.surveycast.campaign.FatiguePolicy;
import io.surveycast.cli.ReportJson;
import io.surveycast.config.Database;
import io.surveycast.config.OutgoingUrls;
import io.surveycast.config.Settings;
import io.surveycast.dispatch.Dispatcher;
import io.surveycast.http.HealthEndpoint;
import io.surveycast.http.OpenApiEndpoint;
import io.surveycast.http.PageHeaderFilter;
import io.surveycast.http.StaticAssets;
import io.surveycast.http.TokenBackoff;
import io.surveycast.report.ReportRow;
import io.surveycast.schedule.DueScan;
import io.surveycast.schedule.QuartzScheduling;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.support.LifecycleStrategySupport;
import org.jooq.DSLContext;
import org.slf4j.LoggerFactory;

/**
 * The objects every feature shares, bound first: the settings, the process clock, the database
 * and its jOOQ context, the global fatigue policy, where outgoing requests may go, and the HTTP
 * toolkit's beans. Each feature binds its own in its {@code *Configuration}, taking these by
 * name ({@code @BeanInject}); {@link App} decides which configurations a command loads.
 */
final class CoreConfiguration implements CamelConfiguration {
    /** How long stopping waits for messages on the wire (a provider's timeout is longer: those are left to their lease). */
    static final Duration DISPATCH_PATIENCE = Duration.ofSeconds(12);

    @BindToRegistry("settings")
    private final Settings settings;
    @BindToRegistry("database")
    private final Database database;
    @BindToRegistry("clock")
    private final Clock clock;

    CoreConfiguration(Settings settings, Database database, Clock clock) {
        this.settings = settings;
        this.database = database;
        this.clock = clock;
    }

    @BindToRegistry("dsl")
    DSLContext dsl() {
        return database.dsl();
    }

    @BindToRegistry("fatiguePolicy")
    FatiguePolicy fatiguePolicy() {
        return FatiguePolicy.fromSettings(settings);
    }

    @BindToRegistry("outgoingUrls")
    OutgoingUrls outgoingUrls() {
        return OutgoingUrls.fromSettings(settings);
    }

    @BindToRegistry("tokenBackoff")
    TokenBackoff tokenBackoff() {
        return new TokenBackoff(settings.getInt("surveycast.token-failure-limit", 10));
    }

    @BindToRegistry("healthEndpoint")
    HealthEndpoint healthEndpoint() {
        return new HealthEndpoint(database);
    }

    @BindToRegistry("pageHeaderFilter")
    PageHeaderFilter pageHeaderFilter() {
        return new PageHeaderFilter();
    }

    @BindToRegistry("staticAssets")
    StaticAssets staticAssets() {
        return new StaticAssets();
    }

    /** The JSON of report rows, the same for the API as for {@code report --format json} (made from the command's columns). */
    @BindToRegistry("reportRowsJson")
    Function<List<ReportRow>, Object> reportRowsJson() {
        return ReportJson::rows;
    }

    @BindToRegistry("openApiEndpoint")
    OpenApiEndpoint openApiEndpoint() {
        return new OpenApiEndpoint(io.surveycast.http.ApiContract.load());
    }

    /**
     * The first steps of stopping, before Camel stops any route: no new work is taken (no scan
     * fired, no batch claimed, the HTTP server answers 503), a running due-scan is cancelled and
     * left to the next one, and the dispatcher's batches finish or are let go. Then Camel stops
     * the routes and services (Quartz last), and only then is the database stopped
     * ({@link Database#stopAfter}). The scheduler's beans are there only when {@code serve} loaded them.
     */
    @Override
    public void configure(CamelContext camelContext) {
        camelContext.addLifecycleStrategy(new LifecycleStrategySupport() {
            @Override
            public void onContextStopping(CamelContext context) {
                var registry = context.getRegistry();
                Dispatcher dispatcher = registry.lookupByNameAndType("dispatcher", Dispatcher.class);
                QuartzScheduling quartz = registry.lookupByNameAndType("quartzScheduling", QuartzScheduling.class);
                DueScan dueScan = registry.lookupByNameAndType("dueScan", DueScan.class);
                var log = LoggerFactory.getLogger(App.class);
                long started = System.nanoTime();
                if (quartz != null) {
                    quartz.standby();
                }
                if (dueScan != null) {
                    dueScan.cancel(Duration.ofSeconds(5));
                }
                boolean finished = dispatcher.stopTaking(DISPATCH_PATIENCE);
                log.info("stopping: no new work taken; {} ({} ms)", finished
                        ? "in-flight batches finished or let go"
                        : "sends still in flight after " + DISPATCH_PATIENCE.toSeconds() + " s are left to their lease",
                        (System.nanoTime() - started) / 1_000_000);
            }
        });
    }
}
