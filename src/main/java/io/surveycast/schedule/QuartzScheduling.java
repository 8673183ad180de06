package io.surveycast.schedule;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.Service;
import org.apache.camel.StartupListener;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;

/**
 * Quartz, clustered on the application's PostgreSQL (JDBC job store, PostgreSQLDelegate), with
 * a few long-lived triggers only: the periodic due-scan and one cron trigger per active
 * recurring campaign. Every firing sends to the Camel endpoint {@code direct:due-scan}; what is
 * due is decided there, so a missed firing is caught up by the next one.
 */
public final class QuartzScheduling implements Service, StartupListener {
    static final JobKey DUE_SCAN = JobKey.jobKey("due-scan", "surveycast");
    static final String CAMEL = "camel";
    static final String ENDPOINT = "direct:due-scan";
    private static final String DATA_SOURCE = "surveycast";

    private final DataSource dataSource;
    private final CamelContext camel;
    private final Duration scanInterval;
    private Scheduler scheduler;

    public QuartzScheduling(DataSource dataSource, CamelContext camel, Duration scanInterval) {
        this.dataSource = dataSource;
        this.camel = camel;
        this.scanInterval = scanInterval;
    }

    @Override
    public void start() {
        try {
            DBConnectionManager.getInstance().addConnectionProvider(DATA_SOURCE, new PooledConnections(dataSource));
            Properties p = new Properties();
            p.setProperty("org.quartz.scheduler.instanceName", "surveycast");
            p.setProperty("org.quartz.scheduler.instanceId", "AUTO");
            p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
            p.setProperty("org.quartz.threadPool.threadCount", "2");
            p.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
            p.setProperty("org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
            p.setProperty("org.quartz.jobStore.dataSource", DATA_SOURCE);
            p.setProperty("org.quartz.jobStore.tablePrefix", "QRTZ_");
            p.setProperty("org.quartz.jobStore.isClustered", "true");
            p.setProperty("org.quartz.jobStore.clusterCheckinInterval", "15000");
            p.setProperty("org.quartz.jobStore.misfireThreshold", "30000");
            scheduler = new StdSchedulerFactory(p).getScheduler();
            ProducerTemplate producer = camel.createProducerTemplate();
            scheduler.getContext().put(CAMEL, producer);
            JobDetail job = JobBuilder.newJob(DueScanJob.class).withIdentity(DUE_SCAN).storeDurably().build();
            scheduler.addJob(job, true);
            Trigger scan = TriggerBuilder.newTrigger()
                    .withIdentity(TriggerKey.triggerKey("due-scan", "surveycast"))
                    .forJob(DUE_SCAN)
                    .withSchedule(SimpleScheduleBuilder.simpleSchedule()
                            .withIntervalInMilliseconds(scanInterval.toMillis())
                            .repeatForever()
                            .withMisfireHandlingInstructionNextWithRemainingCount())
                    .startNow()
                    .build();
            if (scheduler.checkExists(scan.getKey())) {
                scheduler.rescheduleJob(scan.getKey(), scan);
            } else {
                scheduler.scheduleJob(scan);
            }
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot start the Quartz scheduler: " + e.getMessage(), e);
        }
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // routes may not all be running yet: wait for onCamelContextFullyStarted
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) throws Exception {
        scheduler.start();
    }

    @Override
    public void stop() {
        if (scheduler != null) {
            try {
                scheduler.shutdown(true);
            } catch (SchedulerException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** No trigger fires from now on (a firing already running goes on); the first step of stopping. */
    public void standby() {
        if (scheduler != null) {
            try {
                scheduler.standby();
            } catch (SchedulerException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    /** Quartz takes its connections from the application's pool. */
    private record PooledConnections(DataSource dataSource) implements ConnectionProvider {
        @Override
        public Connection getConnection() throws SQLException {
            return dataSource.getConnection();
        }

        @Override
        public void shutdown() {
            // the pool belongs to the application
        }

        @Override
        public void initialize() {
            // nothing to set up
        }
    }
}
