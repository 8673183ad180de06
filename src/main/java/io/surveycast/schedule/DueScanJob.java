package io.surveycast.schedule;

import org.apache.camel.ProducerTemplate;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.SchedulerException;

/** A Quartz firing (due-scan or a recurring campaign's cron): hands over to the Camel route. */
@DisallowConcurrentExecution
public final class DueScanJob implements Job {
    static final String ENDPOINT = "direct:due-scan";

    @Override
    public void execute(JobExecutionContext context) throws JobExecutionException {
        try {
            ProducerTemplate camel = (ProducerTemplate) context.getScheduler().getContext().get(QuartzScheduling.FIRING_TARGET);
            // how late Quartz fired (both instants are Quartz's own), for the due-scan lag meter
            double lagSeconds = Math.max(0, context.getFireTime().getTime() - context.getScheduledFireTime().getTime()) / 1000.0;
            camel.sendBodyAndHeaders(ENDPOINT, null, java.util.Map.of(
                    "trigger", context.getTrigger().getKey().toString(), "scanLagSeconds", lagSeconds));
        } catch (SchedulerException | RuntimeException e) {
            throw new JobExecutionException(e, false);
        }
    }
}
