package io.surveycast.schedule;

import io.surveycast.campaign.CampaignTrigger;
import io.surveycast.plan.PlanCampaign;
import io.surveycast.plan.Planner;
import java.util.HashSet;
import java.util.Set;
import org.jooq.DSLContext;
import org.quartz.CronExpression;
import org.quartz.CronScheduleBuilder;
import org.quartz.CronTrigger;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.impl.matchers.GroupMatcher;

/**
 * Keeps one Quartz cron trigger per active recurring campaign: created when a campaign is
 * applied or resumed, changed with its cron or time zone, removed when it is paused, archived
 * or gone. Run before each due-scan, so a change made from the CLI takes effect within a scan.
 */
public final class CampaignTriggers {
    static final String GROUP = "campaigns";
    private final DSLContext dsl;
    private final Planner planner;
    private final QuartzScheduling quartz;

    public CampaignTriggers(DSLContext dsl, Planner planner, QuartzScheduling quartz) {
        this.dsl = dsl;
        this.planner = planner;
        this.quartz = quartz;
    }

    public void sync() throws SchedulerException {
        Scheduler scheduler = quartz.scheduler();
        Set<TriggerKey> wanted = new HashSet<>();
        for (PlanCampaign campaign : planner.campaigns(dsl)) {
            if (!campaign.isActive() || !(campaign.definition().trigger() instanceof CampaignTrigger.Recurring recurring)) {
                continue;
            }
            TriggerKey key = TriggerKey.triggerKey(campaign.key(), GROUP);
            wanted.add(key);
            CronExpression cron = recurring.cron().quartz();
            Trigger existing = scheduler.getTrigger(key);
            if (existing instanceof CronTrigger current && current.getCronExpression().equals(cron.getCronExpression())
                    && current.getTimeZone().getID().equals(cron.getTimeZone().getID())) {
                continue;
            }
            Trigger trigger = TriggerBuilder.newTrigger()
                    .withIdentity(key)
                    .forJob(QuartzScheduling.DUE_SCAN)
                    .withSchedule(CronScheduleBuilder.cronSchedule(cron)
                            .withMisfireHandlingInstructionFireAndProceed())
                    .build();
            if (existing == null) {
                scheduler.scheduleJob(trigger);
            } else {
                scheduler.rescheduleJob(key, trigger);
            }
        }
        for (TriggerKey key : scheduler.getTriggerKeys(GroupMatcher.triggerGroupEquals(GROUP))) {
            if (!wanted.contains(key)) {
                scheduler.unscheduleJob(key);
            }
        }
    }
}
