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
    @Override
    public void execute(JobExecutionContext context) throws JobExecutionException {
        try {
            ProducerTemplate camel = (ProducerTemplate) context.getScheduler().getContext().get(QuartzScheduling.CAMEL);
            camel.sendBodyAndHeader(QuartzScheduling.ENDPOINT, null, "trigger", context.getTrigger().getKey().toString());
        } catch (SchedulerException | RuntimeException e) {
            throw new JobExecutionException(e, false);
        }
    }
}
