package io.surveycast.schedule;

import io.surveycast.campaign.FatiguePolicy;
import io.surveycast.config.Database;
import io.surveycast.config.Settings;
import io.surveycast.plan.Planner;
import java.time.Clock;
import java.time.Duration;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Service;
import org.apache.camel.StartupListener;
import org.jooq.DSLContext;

/**
 * When things happen: the due-scan, the clustered Quartz scheduler firing it and the recurring
 * campaigns, and the planner they run ({@code serve} only: {@code run-due} plans in its own process).
 */
public final class ScheduleConfiguration implements CamelConfiguration {
    @BeanInject("settings")
    Settings settings;
    @BeanInject("database")
    Database database;
    @BeanInject("dsl")
    DSLContext dsl;
    private Planner planner;

    @BindToRegistry("planner")
    Planner planner(@BeanInject("fatiguePolicy") FatiguePolicy policy) {
        return shared(policy);
    }

    @BindToRegistry("dueRunner")
    DueRunner dueRunner(@BeanInject("dsl") DSLContext dsl, @BeanInject("fatiguePolicy") FatiguePolicy policy) {
        return new DueRunner(dsl, shared(policy));
    }

    @BindToRegistry("dueScan")
    DueScan dueScan(@BeanInject("dsl") DSLContext dsl, @BeanInject("fatiguePolicy") FatiguePolicy policy,
                    @BeanInject("clock") Clock clock) {
        return new DueScan(dsl, shared(policy), clock);
    }

    /** Quartz is a Camel service (it starts with the routes and stops last), so it is made with the context. */
    @Override
    public void configure(CamelContext camelContext) throws Exception {
        var quartz = new QuartzScheduling(database.dataSource(), camelContext::createProducerTemplate,
                Duration.parse(settings.get("surveycast.due-scan-interval", "PT1M")));
        camelContext.getRegistry().bind("quartzScheduling", quartz);
        camelContext.getRegistry().bind("campaignTriggers", new CampaignTriggers(dsl, planner, quartz));
        var service = new QuartzService(quartz);
        camelContext.addService(service, true, true);
        camelContext.addStartupListener(service);
    }

    /** Quartz started and stopped with Camel; its triggers fire once every route is running. */
    private record QuartzService(QuartzScheduling quartz) implements Service, StartupListener {
        @Override
        public void start() {
            quartz.start();
        }

        @Override
        public void stop() {
            quartz.stop();
        }

        @Override
        public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
            // routes may not all be running yet: wait for onCamelContextFullyStarted
        }

        @Override
        public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) throws Exception {
            quartz.startFiring();
        }
    }

    private synchronized Planner shared(FatiguePolicy policy) {
        if (planner == null) {
            planner = new Planner(policy);
        }
        return planner;
    }
}
