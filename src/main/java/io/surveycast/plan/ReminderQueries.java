package io.surveycast.plan;

import io.surveycast.sql.NamedSql;
import io.surveycast.sql.Params;
import java.time.Instant;
import java.time.ZoneOffset;
import org.jooq.DSLContext;
import org.jooq.Record;

/**
 * The SQL of reminders and expiry. A reminder message is created when its step falls due, only
 * for invitations still open (not answered, not expired) whose invite went out or is queued,
 * on the step's channel if the contact can be reached there and the message cap allows it;
 * otherwise the step is recorded as a cancelled message with the reason. As in planning, the
 * steps referenced several times are fenced with {@code offset 0}, so the fatigue function and
 * the time-zone conversion run once per invitation (a reminder step of a whole wave is one
 * statement).
 */
final class ReminderQueries {
    /** The statements remind, fatigue-window and expire of src/main/resources/sql/plan.sql. */
    private static final NamedSql SQL = NamedSql.of("plan");

    void remind(DSLContext tx, PlanCampaign campaign, int step, Instant at, Instant now, PlanCounts counts,
                int maxPerWeek) {
        var reminder = campaign.definition().reminders().get(step - 1);
        Params params = queueParams(campaign, reminder.channel(), reminder.after().toPgInterval(), at, now, maxPerWeek)
                .value("step", step);
        for (Record r : SQL.get("remind").query(tx, params).fetch()) {
            long n = r.get("n", Long.class);
            if (r.get("status", String.class).equals("queued")) {
                counts.addReminder(reminder.channel(), n);
            } else {
                counts.addReminderSkip(r.get("reason", String.class), n);
            }
        }
    }

    /**
     * The parameters reminders and promoter emails share: the campaign, the channel, when the
     * message falls due ({@code :after} a moment of its own), the channel's send window and the
     * weekly message cap, the last two bound as the CTEs of statement {@code fatigue-window}.
     */
    static Params queueParams(PlanCampaign campaign, String channel, String after, Instant at, Instant now,
                              int maxPerWeek) {
        ChannelWindow window = campaign.window(channel);
        Params params = new Params()
                .value("campaign_id", campaign.id())
                .value("campaign_tz", campaign.timezoneId())
                .value("channel", channel)
                .value("after", after)
                .value("at", at.atOffset(ZoneOffset.UTC))
                .value("now", now.atOffset(ZoneOffset.UTC))
                .value("max_week", maxPerWeek)
                .part("window", window.sql())
                .part("all_window", window.inAllZones());
        return params.part("fatigue_window", SQL.get("fatigue-window").sql(params));
    }

    int expire(DSLContext tx, Instant at, Instant now) {
        return SQL.get("expire").query(tx, new Params()
                        .value("at", at.atOffset(ZoneOffset.UTC))
                        .value("now", now.atOffset(ZoneOffset.UTC)))
                .fetchOne("n", Integer.class);
    }
}
