package io.surveycast;

import io.surveycast.cli.Cli;
import io.surveycast.config.Database;
import io.surveycast.config.RouteFiles;
import io.surveycast.config.Settings;
import io.surveycast.http.GatedHttpServer;
import io.surveycast.http.HttpConfiguration;
import io.surveycast.campaign.CampaignConfiguration;
import io.surveycast.channel.ChannelConfiguration;
import io.surveycast.channel.Channels;
import io.surveycast.consent.ConsentConfiguration;
import io.surveycast.contact.ContactConfiguration;
import io.surveycast.dashboard.DashboardConfiguration;
import io.surveycast.devmode.DevModeChannels;
import io.surveycast.devmode.DevModeConfiguration;
import io.surveycast.followup.FollowUpConfiguration;
import io.surveycast.dispatch.DispatchConfiguration;
import io.surveycast.event.EventConfiguration;
import io.surveycast.promoter.PromoterConfiguration;
import io.surveycast.history.HistoryConfiguration;
import io.surveycast.share.ShareConfiguration;
import io.surveycast.digest.DigestConfiguration;
import io.surveycast.report.ReportConfiguration;
import io.surveycast.response.ResponseConfiguration;
import io.surveycast.schedule.ScheduleConfiguration;
import io.surveycast.theme.ThemeConfiguration;
import io.surveycast.user.UserConfiguration;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.slf4j.LoggerFactory;

/** Entry point: the command line, and the Camel Main that {@code serve} runs. */
public final class App {
    private App() {
    }

    public static void main(String[] args) {
        // Netty (under the HTTP server) otherwise warns on JDK 24+ about sun.misc.Unsafe on every start.
        System.setProperty("io.netty.noUnsafe", System.getProperty("io.netty.noUnsafe", "true"));
        System.exit(Cli.run(args, Settings.load()));
    }

    /** Runs the HTTP server and routes until the JVM is told to stop (SIGTERM, Ctrl-C). */
    public static void serve(Settings settings, Database database, Clock clock, Runnable onStarted) throws Exception {
        Main main = camel(settings, database, clock);
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterStart(BaseMainSupport support) {
                onStarted.run();
            }
        });
        // SIGTERM: Camel's hook stops the routes; the database's waits for that before stopping
        java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
        database.stopAfter(stopped);
        try {
            main.run();
        } finally {
            stopped.countDown();
        }
    }

    /** Camel Main with the routes, beans and HTTP server configured, not yet started. */
    public static Main camel(Settings settings, Database database, Clock clock) {
        Main main = new Main();
        // in this order: each configuration takes what the ones before it bound
        for (CamelConfiguration configuration : List.of(new CoreConfiguration(settings, database, clock),
                new HttpConfiguration(settings),
                new ChannelConfiguration(new DevModeChannels()), new CampaignConfiguration(), new ConsentConfiguration(), new UserConfiguration(),
                new ReportConfiguration(), new DispatchConfiguration(),
                new ContactConfiguration(), new EventConfiguration(), new ResponseConfiguration(),
                new ThemeConfiguration(), new ScheduleConfiguration(), new DashboardConfiguration(),
                new DevModeConfiguration(), new FollowUpConfiguration(), new PromoterConfiguration(),
                new HistoryConfiguration(), new ShareConfiguration(), new DigestConfiguration())) {
            main.configure().addConfiguration(configuration);
        }
        var metrics = new io.surveycast.metrics.MetricsConfiguration();
        main.bind("metricsRegistry", metrics.registry());
        main.configure().addConfiguration(metrics); // last: it reads settings, clock and dsl from the registry
        // Camel's Micrometer support: route meters and the JVM's, in the registry MetricsConfiguration
        // makes; shown at /metrics (routes/metrics.camel.yaml). Per route, not per exchange event,
        // which would time every send twice more. (camel-main reads these as properties only.)
        main.addInitialProperty("camel.metrics.enabled", "true");
        main.addInitialProperty("camel.metrics.enableExchangeEventNotifier", "false");
        main.addInitialProperty("camel.metrics.binders", "jvm-memory,jvm-gc,jvm-thread,class-loader,processor,uptime,file-descriptor");
        main.configure().addRoutesBuilder(new io.surveycast.http.ContractRoutes(io.surveycast.http.ApiContract.load()));
        main.configure().setName("surveycast");
        main.configure().setRoutesIncludePattern(
                RouteFiles.includePattern(settings.get("surveycast.routes-dir").map(Path::of), name -> true));
        main.configure().setShutdownTimeout(20);
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void beforeConfigure(BaseMainSupport support) {
                LoggerFactory.getLogger(App.class).info("channels: {}", Channels.describe(settings));
                try {
                    support.getCamelContext().addService(new GatedHttpServer(
                            settings.get("surveycast.http.host", "0.0.0.0"), settings.getInt("surveycast.http.port", 8080)));
                } catch (Exception e) {
                    throw RuntimeCamelException.wrapRuntimeCamelException(e);
                }
            }
        });
        return main;
    }

    /**
     * A sending node started for one command ({@code run-due}): {@link #sender}'s routes and
     * channels running, its dispatcher; closing it stops them. Commands use this instead of Camel.
     */
    public static SendingNode startSender(Settings settings, Database database, Clock clock) throws Exception {
        Main main = sender(settings, database, clock);
        main.start();
        return new SendingNode(main);
    }

    /** See {@link #startSender}. */
    public static final class SendingNode implements AutoCloseable {
        private final Main main;

        private SendingNode(Main main) {
            this.main = main;
        }

        public io.surveycast.dispatch.Dispatcher dispatcher() {
            return main.getCamelContext().getRegistry()
                    .lookupByNameAndType("dispatcher", io.surveycast.dispatch.Dispatcher.class);
        }

        public Channels channels() {
            return main.getCamelContext().getRegistry().lookupByNameAndType("channels", Channels.class);
        }

        @Override
        public void close() throws Exception {
            main.stop();
        }
    }

    /**
     * Camel Main with only the send routes and the channels, for commands that dispatch in their own
     * process ({@code run-due}): no HTTP server, no scheduler, no dispatcher timer.
     */
    public static Main sender(Settings settings, Database database, Clock clock) {
        Main main = new Main();
        main.configure().addConfiguration(new CoreConfiguration(settings, database, clock));
        main.configure().addConfiguration(new ChannelConfiguration(new DevModeChannels()));
        main.configure().addConfiguration(new DispatchConfiguration());
        main.configure().setName("surveycast-send");
        main.configure().setRoutesIncludePattern(RouteFiles.includePattern(
                settings.get("surveycast.routes-dir").map(Path::of), name -> name.startsWith("send")));
        main.configure().setShutdownTimeout(20);
        return main;
    }
}
