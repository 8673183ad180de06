package io.surveycast;

import io.surveycast.campaign.FatiguePolicy;
import io.surveycast.channel.Channels;
import io.surveycast.channel.TemplateStore;
import io.surveycast.channel.email.BounceMailbox;
import io.surveycast.channel.email.BounceProcessor;
import io.surveycast.config.Database;
import io.surveycast.consent.EmailUnsubscribe;
import io.surveycast.consent.UnsubscribeEndpoint;
import io.surveycast.config.Settings;
import io.surveycast.devmode.DevEndpoints;
import io.surveycast.dispatch.CamelChannelGateway;
import io.surveycast.dispatch.DispatchOptions;
import io.surveycast.dispatch.Dispatcher;
import io.surveycast.dispatch.SendFailures;
import io.surveycast.user.Users;
import io.surveycast.user.ApiAuth;
import io.surveycast.http.HealthEndpoint;
import io.surveycast.user.MeEndpoint;
import io.surveycast.http.ProblemResponder;
import java.nio.file.Path;
import java.time.Clock;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.LoggerFactory;

/**
 * Bean wiring: builds the domain objects from the settings and binds them under the names routes
 * use. {@code full}: everything {@code serve} runs; otherwise only the channels and the send routes'
 * beans, for a command that dispatches in its own process.
 */
final class AppConfiguration implements CamelConfiguration {
    private final Settings settings;
    private final Database database;
    private final Clock clock;
    private final boolean full;

    AppConfiguration(Settings settings, Database database, Clock clock, boolean full) {
        this.settings = settings;
        this.database = database;
        this.clock = clock;
        this.full = full;
    }

    @Override
    public void configure(CamelContext camelContext) {
        Registry registry = camelContext.getRegistry();
        Channels channels = Channels.fromSettings(settings, database.dsl(), clock);
        registry.bind("settings", settings);
        registry.bind("clock", clock);
        registry.bind("dsl", database.dsl());
        registry.bind("channels", channels);
        registry.bind("emailChannel", channels.email());
        registry.bind("smsChannel", channels.sms());
        registry.bind("sendFailures", new SendFailures());
        Dispatcher dispatcher = dispatcher(settings, database, clock, channels, camelContext);
        registry.bind("dispatcher", dispatcher);
        closeOnStop(camelContext, dispatcher, channels);
        if (!full) {
            stopInOrder(camelContext, dispatcher, null, null);
            return;
        }
        LoggerFactory.getLogger(App.class).info("channels: {}", Channels.describe(settings));
        Users users = new Users(database.dsl(), clock);
        registry.bind("healthEndpoint", new HealthEndpoint(database));
        var tokenBackoff = new io.surveycast.http.TokenBackoff(settings.getInt("surveycast.token-failure-limit", 10));
        registry.bind("apiAuth", new ApiAuth(users, tokenBackoff));
        registry.bind("meEndpoint", new MeEndpoint());
        registry.bind("eventsEndpoint", new io.surveycast.event.EventsEndpoint(new io.surveycast.event.Events(database.dsl(), clock)));
        registry.bind("problemResponder", new ProblemResponder(io.surveycast.report.ReportsEndpoint::problem));
        // one Reports for the API, the dashboard and the roll-up refresh: its bound on reports running
        // at once covers them all, so a storm of report requests cannot queue /health or survey pages
        var reports = new io.surveycast.report.Reports(database.dsl(), Integer.parseInt(settings.get(
                "surveycast.report.concurrency", Integer.toString(io.surveycast.report.Reports.DEFAULT_CONCURRENCY)).strip()),
                io.surveycast.report.ReportSettings.fromSettings(settings));
        api(registry, users, reports);
        TemplateStore templates = templates(settings);
        registry.bind("pageHeaderFilter", new io.surveycast.http.PageHeaderFilter());
        var formSigner = new io.surveycast.http.FormSigner(new EmailUnsubscribe(database.dsl(), clock)::formSecret);
        var sessions = new io.surveycast.user.Sessions(database.dsl(), clock, users);
        var sessionAuth = new io.surveycast.user.SessionAuth(sessions);
        String company = settings.get("surveycast.company-name", "Acme");
        String publicUrl = settings.publicUrl();
        var planner = new io.surveycast.plan.Planner(FatiguePolicy.fromSettings(settings));
        var dueRunner = new io.surveycast.schedule.DueRunner(database.dsl(), planner);
        registry.bind("loginPage", new io.surveycast.user.LoginPage(sessions, templates, company, publicUrl, tokenBackoff));
        registry.bind("responsePage", new io.surveycast.response.ResponsePage(database.dsl(), sessionAuth, templates, company));
        registry.bind("dashboardPage", new io.surveycast.dashboard.DashboardPage(database.dsl(), reports, clock, sessionAuth, templates, company));
        registry.bind("staticAssets", new io.surveycast.http.StaticAssets());
        registry.bind("reports", reports);
        registry.bind("adminPages", new io.surveycast.dashboard.AdminPages(database.dsl(), reports, clock, sessionAuth, templates,
                company, new io.surveycast.campaign.Campaigns(database.dsl(), clock, templates, FatiguePolicy.fromSettings(settings),
                        io.surveycast.config.OutgoingUrls.fromSettings(settings)),
                formSigner, dueRunner));
        var notices = io.surveycast.response.ResponseNotices.fromSettings(settings);
        var responses = new io.surveycast.response.Responses(database.dsl(), clock, notices);
        registry.bind("responses", responses);
        registry.bind("surveyPage", new io.surveycast.response.SurveyPage(responses, templates, clock, company, formSigner));
        var conversation = new io.surveycast.response.SmsConversation(database.dsl(), clock, notices, templates, publicUrl,
                company);
        registry.bind("twilioWebhooks", twilioWebhooks(settings, database, clock, conversation));
        registry.bind("devEndpoints", new DevEndpoints(database.dsl(), channels.emailCaptured(), channels.smsCaptured(),
                conversation::receive, clock, Boolean.parseBoolean(settings.get("surveycast.dev-pages.remote", "false"))));
        registry.bind("notificationSender", new io.surveycast.response.NotificationSender(database.dsl(), clock, notices,
                channels.email(), templates, settings.get("surveycast.webhook.secret").orElse(null), channels.mailFrom(),
                io.surveycast.config.OutgoingUrls.fromSettings(settings)));
        consent(camelContext, registry);
        var themeTagging = io.surveycast.theme.ThemeTagging.fromSettings(settings, database.dsl(), clock);
        registry.bind("themeTagging", themeTagging);

        var quartz = new io.surveycast.schedule.QuartzScheduling(database.dataSource(), camelContext,
                java.time.Duration.parse(settings.get("surveycast.due-scan-interval", "PT1M")));
        var dueScan = new io.surveycast.schedule.DueScan(database.dsl(), planner, clock);
        registry.bind("dueScan", dueScan);
        registry.bind("campaignTriggers", new io.surveycast.schedule.CampaignTriggers(database.dsl(), planner, quartz));
        registry.bind("quartzScheduling", quartz);
        try {
            camelContext.addService(quartz, true, true);
            camelContext.addStartupListener(quartz);
        } catch (Exception e) {
            throw new IllegalStateException("cannot register the scheduler", e);
        }
        stopInOrder(camelContext, dispatcher, quartz, dueScan);
    }

    /**
     * The first steps of stopping, before Camel stops any route: no new work is taken (no scan
     * fired, no batch claimed, the HTTP server answers 503), a running due-scan is cancelled and
     * left to the next one, and the dispatcher's batches finish or are let go. Then Camel stops
     * the routes and services (Quartz last), and only then is the database stopped
     * ({@link Database#stopAfter}).
     */
    private static void stopInOrder(CamelContext camelContext, Dispatcher dispatcher,
                                    io.surveycast.schedule.QuartzScheduling quartz,
                                    io.surveycast.schedule.DueScan dueScan) {
        camelContext.addLifecycleStrategy(new org.apache.camel.support.LifecycleStrategySupport() {
            @Override
            public void onContextStopping(CamelContext context) {
                var log = LoggerFactory.getLogger(App.class);
                long started = System.nanoTime();
                if (quartz != null) {
                    quartz.standby();
                }
                if (dueScan != null) {
                    dueScan.cancel(java.time.Duration.ofSeconds(5));
                }
                boolean finished = dispatcher.stopTaking(DISPATCH_PATIENCE);
                log.info("stopping: no new work taken; {} ({} ms)", finished
                        ? "in-flight batches finished or let go"
                        : "sends still in flight after " + DISPATCH_PATIENCE.toSeconds() + " s are left to their lease",
                        (System.nanoTime() - started) / 1_000_000);
            }
        });
    }

    /** How long stopping waits for messages on the wire (a provider's timeout is longer: those are left to their lease). */
    static final java.time.Duration DISPATCH_PATIENCE = java.time.Duration.ofSeconds(12);

    /**
     * The handlers of the REST API's operations (routed from openapi.yaml by ContractRoutes, through
     * routes/api.camel.yaml) and its description at /openapi.json.
     */
    private void api(Registry registry, Users users, io.surveycast.report.Reports reports) {
        var dsl = database.dsl();
        registry.bind("contactsEndpoint", new io.surveycast.contact.ContactsEndpoint(new io.surveycast.contact.Contacts(dsl, clock,
                settings.get("surveycast.default-region", "US"))));
        registry.bind("campaignsEndpoint", new io.surveycast.campaign.CampaignsEndpoint(new io.surveycast.campaign.Campaigns(dsl,
                clock, templates(settings), FatiguePolicy.fromSettings(settings),
                io.surveycast.config.OutgoingUrls.fromSettings(settings))));
        registry.bind("reportsEndpoint", new io.surveycast.report.ReportsEndpoint(reports,
                io.surveycast.cli.ReportJson::rows));
        registry.bind("responsesEndpoint", new io.surveycast.response.ResponsesEndpoint(new io.surveycast.response.ResponseSearch(dsl)));
        registry.bind("messagesEndpoint", new io.surveycast.dispatch.MessagesEndpoint(new io.surveycast.dispatch.MessageLog(dsl, clock)));
        registry.bind("usersEndpoint", new io.surveycast.user.UsersEndpoint(users));
        registry.bind("openApiEndpoint", new io.surveycast.http.OpenApiEndpoint(io.surveycast.http.ApiContract.load()));
    }

    /** The unsubscribe page and the bounce mailbox (its route's placeholders, and whether it starts). */
    private void consent(CamelContext camelContext, Registry registry) {
        EmailUnsubscribe unsubscribes = new EmailUnsubscribe(database.dsl(), clock);
        registry.bind("unsubscribeEndpoint", new UnsubscribeEndpoint(unsubscribes,
                templates(settings), settings.get("surveycast.company-name", "Acme")));
        BounceMailbox mailbox = BounceMailbox.fromSettings(settings);
        registry.bind("bounceProcessor", new BounceProcessor(database.dsl(), clock, unsubscribes,
                settings.getInt("surveycast.bounce.soft-limit", 3)));
        registry.bind("bounceMailProperties", mailbox == null ? new java.util.Properties() : mailbox.javaMailProperties());
        BounceMailbox.routeProperties(mailbox).forEach(camelContext.getPropertiesComponent()::addOverrideProperty);
        if (mailbox != null) {
            LoggerFactory.getLogger(App.class).info("bounce mailbox: {}", mailbox.describe());
        }
    }

    static Dispatcher dispatcher(Settings settings, Database database, Clock clock, Channels channels,
                                 CamelContext camelContext) {
        return new Dispatcher(database.dsl(), clock, FatiguePolicy.fromSettings(settings),
                templates(settings),
                new CamelChannelGateway(camelContext), DispatchOptions.fromSettings(settings),
                settings.publicUrl(),
                settings.get("surveycast.company-name", "Acme"), channels.mailFrom());
    }

    /** {@code /webhooks/twilio/sms} and {@code /webhooks/twilio/status}. */
    private static io.surveycast.response.TwilioWebhooks twilioWebhooks(Settings settings, Database database, Clock clock,
            io.surveycast.response.SmsConversation conversation) {
        String publicUrl = settings.publicUrl();
        return new io.surveycast.response.TwilioWebhooks(settings.get("twilio.auth-token").orElse(null), publicUrl,
                conversation, new io.surveycast.dispatch.DeliveryReceipts(database.dsl(), clock));
    }

    static TemplateStore templates(Settings settings) {
        return new TemplateStore(settings.get("surveycast.templates-dir").map(Path::of));
    }

    private static void closeOnStop(CamelContext camelContext, AutoCloseable... resources) {
        try {
            camelContext.addService(new ServiceSupport() {
                @Override
                protected void doStop() throws Exception {
                    for (AutoCloseable resource : resources) {
                        resource.close();
                    }
                }
            }, true, true);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
