package io.surveycast;

import io.surveycast.config.Database;
import io.surveycast.config.Settings;
import io.surveycast.user.Users;
import io.surveycast.web.ApiAuth;
import io.surveycast.web.HealthEndpoint;
import io.surveycast.web.MeEndpoint;
import io.surveycast.web.ProblemResponder;
import java.time.Clock;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;

/** Bean wiring: builds the domain objects from the settings and binds them under the names routes use. */
final class AppConfiguration implements CamelConfiguration {
    private final Settings settings;
    private final Database database;
    private final Clock clock;

    AppConfiguration(Settings settings, Database database, Clock clock) {
        this.settings = settings;
        this.database = database;
        this.clock = clock;
    }

    @Override
    public void configure(CamelContext camelContext) {
        Registry registry = camelContext.getRegistry();
        Users users = new Users(database.dsl(), clock);
        registry.bind("settings", settings);
        registry.bind("clock", clock);
        registry.bind("dsl", database.dsl());
        registry.bind("healthEndpoint", new HealthEndpoint(database));
        registry.bind("apiAuth", new ApiAuth(users));
        registry.bind("meEndpoint", new MeEndpoint());
        registry.bind("eventsEndpoint", new io.surveycast.web.EventsEndpoint(new io.surveycast.event.Events(database.dsl(), clock)));
        registry.bind("problemResponder", new ProblemResponder());

        var planner = new io.surveycast.plan.Planner(io.surveycast.campaign.FatiguePolicy.fromSettings(settings));
        var quartz = new io.surveycast.schedule.QuartzScheduling(database.dataSource(), camelContext,
                java.time.Duration.parse(settings.get("surveycast.due-scan-interval", "PT1M")));
        registry.bind("dueScan", new io.surveycast.schedule.DueScan(
                new io.surveycast.schedule.DueRunner(database.dsl(), planner), clock));
        registry.bind("campaignTriggers", new io.surveycast.schedule.CampaignTriggers(database.dsl(), planner, quartz));
        registry.bind("quartzScheduling", quartz);
        try {
            camelContext.addService(quartz, true, true);
            camelContext.addStartupListener(quartz);
        } catch (Exception e) {
            throw new IllegalStateException("cannot register the scheduler", e);
        }
    }
}
