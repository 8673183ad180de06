package io.surveycast.schedule;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import java.util.function.Supplier;
import javax.sql.DataSource;
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
 * recurring campaign. Every firing is handed by {@link DueScanJob} to the firing target (the
 * route {@code direct:due-scan}); what is due is decided there, so a missed firing is caught up by
 * the next one. Started and stopped with the routes by ScheduleConfiguration's Camel service.
 */
public final class QuartzScheduling {
    static final JobKey DUE_SCAN = JobKey.jobKey("due-scan", "surveycast");
    /** Where {@link DueScanJob} finds the firing target in the scheduler's context. */
    static final String FIRING_TARGET = "firing-target";
    private static final String DATA_SOURCE = "surveycast";

    private final DataSource dataSource;
    private final Supplier<?> firingTarget;
    private final Duration scanInterval;
    private Scheduler scheduler;

    /** {@code firingTarget}: made when the scheduler starts, what each firing is handed to. */
    public QuartzScheduling(DataSource dataSource, Supplier<?> firingTarget, Duration scanInterval) {
        this.dataSource = dataSource;
        this.firingTarget = firingTarget;
        this.scanInterval = scanInterval;
    }

    /** Connects Quartz to the database and sets up the due-scan trigger; nothing fires before {@link #startFiring}. */
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
            scheduler.getContext().put(FIRING_TARGET, firingTarget.get());
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

    /** Triggers fire from now on (once every route that a firing reaches is running). */
    public void startFiring() throws SchedulerException {
        scheduler.start();
    }

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
