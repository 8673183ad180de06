package io.surveycast.report;

import io.surveycast.config.Database;
import io.surveycast.support.Fixtures;
import io.surveycast.support.TestDatabase;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.jooq.DSLContext;

/**
 * Benchmark (not a unit test): reports over N invitations (default 10,000,000) of which about 30%
 * were answered, in a fresh embedded PostgreSQL. 80% of the invitations belong to quarterly-nps (8
 * quarterly waves over 1/8 of N contacts), 10% to onboarding-nps, 10% to renewal-nps; about 3% are
 * skipped, 3% failed, 1% expired unsent, 25% deferred; 40% of the sent ones got a first reminder,
 * 10% a second. The rows are written with the report triggers off (as a bulk load), then every day
 * is marked dirty and the roll-ups built by one refresh (timed), then VACUUM ANALYZE, then each
 * report is timed several times: campaign quarterly-nps by quarter, by month, by channel, by
 * attr:plan (raw rows), and the same by quarter on the raw rows as the engine did before V10
 * (the baseline). Last, a day of the wave is marked dirty and the report timed with its refresh.
 * Arguments: invitations (default 10,000,000), runs per report (default 5).
 * Run with src/test/bench/report.sh.
 */
public final class ReportBenchmark {
    public static void main(String[] args) {
        long n = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        long contacts = Math.max(1, n / 10);
        Clock clock = Clock.fixed(Instant.parse("2027-01-15T00:00:00Z"), ZoneOffset.UTC);
        try (Database database = TestDatabase.open(TestDatabase.freshUrl())) {
            DSLContext dsl = database.dsl();
            long t0 = System.nanoTime();
            Fixtures.examples(dsl, clock);
            for (String t : List.of("invitation", "response", "message")) {
                dsl.execute("alter table " + t + " disable trigger user");
            }
            dsl.execute("""
                    insert into contact (external_id, email, timezone, attributes, created_at, updated_at)
                    select 'c' || g, 'user' || g || '@example.com', 'Europe/Paris',
                           jsonb_build_object('plan', (array['free','basic','pro','enterprise'])[1 + g %% 4],
                                              'region', (array['emea','amer','apac'])[1 + g %% 3]),
                           now(), now()
                    from generate_series(1, %d) g""".formatted(contacts));
            dsl.execute("""
                    insert into invitation (campaign_id, contact_id, cycle, channel, status, skip_reason, defer_reason,
                                            trigger_at, planned_at, invite_at, expires_at, sent_at)
                    select campaign_id, contact_id, cycle,
                           case when h >= 30 then case when h %% 5 = 0 then 'sms' else 'email' end end,
                           case when h < 30 then 'skipped' when h < 60 then 'failed' when h < 70 then 'expired'
                                when h %% 3 = 0 then 'delivered' else 'sent' end,
                           case when h < 30 then (array['suppressed','no_channel','sampled_out','not_in_audience',
                                                        'fatigue','too_late','expired'])[1 + h %% 7] end,
                           case when h >= 30 and h %% 4 = 0 then (array['fatigue','send_window','quiet_hours'])[1 + h %% 3] end,
                           t, t, case when h >= 30 then t + spread end, t + spread + interval '14 days',
                           case when h >= 70 then t + spread + (h %% 480) * interval '1 minute' end
                    from (select g,
                                 case when g <= %1$d * 8 then (select id from campaign where key = 'quarterly-nps')
                                      when g <= %1$d * 9 then (select id from campaign where key = 'onboarding-nps')
                                      else (select id from campaign where key = 'renewal-nps') end as campaign_id,
                                 1 + (g - 1) %% %1$d as contact_id,
                                 case when g <= %1$d * 8 then 'wave:' || to_char(date '2025-01-07' + ((g - 1) / %1$d) * interval '3 months', 'YYYY-MM-DD')
                                      when g <= %1$d * 9 then 'onboarding'
                                      else 'renewal:' || to_char(date '2025-01-01' + (g * 7919 %% 730) * interval '1 day', 'YYYY-MM-DD') end as cycle,
                                 case when g <= %1$d * 8 then timestamptz '2025-01-07 14:00:00+00' + ((g - 1) / %1$d) * interval '3 months'
                                      else timestamptz '2025-01-01 10:00:00+00' + (g * 7919 %% 730) * interval '1 day' end as t,
                                 case when g <= %1$d * 8 then (g %% 5) * interval '1 day' else interval '0' end as spread,
                                 (g * 104729) %% 1000 as h
                          from generate_series(1::bigint, %2$d) g) x""".formatted(contacts, contacts * 10));
            dsl.execute("""
                    insert into response (invitation_id, score, channel, received_at, updated_at)
                    select id, (id * 31) % 11, coalesce(channel, 'email'), sent_at + ((id * 17) % 14400) * interval '1 minute',
                           sent_at + ((id * 17) % 14400) * interval '1 minute'
                    from invitation where sent_at is not null and (id * 7) % 100 < 32""");
            dsl.execute("update invitation i set status = 'responded', responded_at = r.received_at from response r where r.invitation_id = i.id");
            dsl.execute("""
                    insert into message (invitation_id, contact_id, kind, step, channel, status, not_before, sent_at, created_at, updated_at)
                    select i.id, i.contact_id, 'reminder', s, i.channel, 'sent', i.sent_at + s * interval '3 days',
                           i.sent_at + s * interval '3 days' + interval '1 hour', i.sent_at, i.sent_at
                    from invitation i cross join generate_series(1, 2) s
                    where i.sent_at is not null and (i.id %% 10 < 4 and s = 1 or i.id %% 10 < 1 and s = 2)""".replace("%%", "%"));
            for (String t : List.of("invitation", "response", "message")) {
                dsl.execute("alter table " + t + " enable trigger user");
            }
            dsl.execute("""
                    insert into report_dirty (campaign_id, day)
                    select distinct d.campaign_id, d.day from invitation i,
                           report_days(i.campaign_id, i.status, i.sent_at, i.invite_at, i.planned_at, i.skip_reason, i.defer_reason) d""");
            dsl.execute("vacuum analyze");
            double setup = (System.nanoTime() - t0) / 1e9;
            long invitations = count(dsl, "select count(*) from invitation");
            long responses = count(dsl, "select count(*) from response");
            long reminders = count(dsl, "select count(*) from message");
            long dirty = count(dsl, "select count(*) from report_dirty");
            System.out.printf("invitations %,d, responses %,d, reminders sent %,d, contacts %,d (setup %.0f s)%n",
                    invitations, responses, reminders, contacts, setup);

            Reports reports = new Reports(dsl);
            if (Boolean.getBoolean("explain")) {
                try {
                    dsl.transaction(c -> {
                        c.dsl().resultQuery("explain (analyze, buffers) {0}", ReportQueries.refreshSql()).forEach(r -> System.out.println(r.get(0)));
                        throw new IllegalStateException("rollback");
                    });
                } catch (IllegalStateException rolledBack) {
                    // explained only
                }
            }
            long t1 = System.nanoTime();
            int days = reports.refresh();
            System.out.printf("initial refresh: %d campaign-days (%d markers) rolled up in %.1f s%n", days, dirty,
                    (System.nanoTime() - t1) / 1e9);
            dsl.execute("vacuum analyze report_day, report_lift_day, report_decision_day, report_dirty");
            System.out.printf("roll-up rows: report_day %d, report_lift_day %d, report_decision_day %d%n",
                    count(dsl, "select count(*) from report_day"),
                    count(dsl, "select count(*) from report_lift_day"),
                    count(dsl, "select count(*) from report_decision_day"));

            if (Boolean.getBoolean("explain")) {
                for (String by : List.of("quarter")) {
                    var sql = ReportQueries.sql("quarterly-nps", null, null, Breakdown.parse(by));
                    dsl.resultQuery("explain (analyze, buffers) {0}", sql).forEach(r -> System.out.println(r.get(0)));
                }
            }
            time(runs, "quarterly-nps --by quarter", () -> reports.run("quarterly-nps", null, null, Breakdown.parse("quarter")));
            time(runs, "quarterly-nps --by month", () -> reports.run("quarterly-nps", null, null, Breakdown.parse("month")));
            time(runs, "quarterly-nps --by channel", () -> reports.run("quarterly-nps", null, null, Breakdown.parse("channel")));
            time(runs, "onboarding-nps --by quarter", () -> reports.run("onboarding-nps", null, null, Breakdown.parse("quarter")));
            time(runs, "all campaigns --by quarter", () -> reports.run(null, null, null, Breakdown.parse("quarter")));
            time(runs, "all campaigns --by campaign", () -> reports.run(null, null, null, Breakdown.parse("campaign")));
            time(runs, "quarterly-nps 2026-01-01..2026-03-31 --by month",
                    () -> reports.run("quarterly-nps", java.time.LocalDate.parse("2026-01-01"), java.time.LocalDate.parse("2026-03-31"),
                            Breakdown.parse("month")));
            time(Math.min(runs, 2), "quarterly-nps --by attr:plan (raw rows)",
                    () -> reports.run("quarterly-nps", null, null, Breakdown.parse("attr:plan")));
            time(Math.min(runs, 2), "onboarding-nps --by attr:plan (raw rows)",
                    () -> reports.run("onboarding-nps", null, null, Breakdown.parse("attr:plan")));
            time(Math.min(runs, 2), "quarterly-nps --by quarter, raw rows as before V10 (baseline)",
                    () -> dsl.fetch(BEFORE, "quarterly-nps"));
            // a busy day of the wave changed: the next report recomputes it first
            List<Double> dirtyRuns = new ArrayList<>();
            for (int i = 0; i < Math.min(runs, 3); i++) {
                dsl.execute("""
                        insert into report_dirty (campaign_id, day)
                        select campaign_id, day from report_day where campaign_id = (select id from campaign where key = 'quarterly-nps')
                        order by invited desc limit 1""");
                long t = System.nanoTime();
                reports.run("quarterly-nps", null, null, Breakdown.parse("quarter"));
                dirtyRuns.add((System.nanoTime() - t) / 1e6);
            }
            System.out.printf("%-62s %s ms%n", "quarterly-nps --by quarter after its busiest day changed", format(dirtyRuns));
            List<Double> rawDay = new ArrayList<>();
            ReportQueries queries = new ReportQueries();
            for (int i = 0; i < Math.min(runs, 3); i++) {
                dsl.execute("""
                        insert into report_dirty (campaign_id, day)
                        select campaign_id, day from report_day where campaign_id = (select id from campaign where key = 'quarterly-nps')
                        order by invited desc limit 1""");
                long t = System.nanoTime();
                queries.rows(dsl, "quarterly-nps", null, null, Breakdown.parse("quarter"));
                rawDay.add((System.nanoTime() - t) / 1e6);
                reports.refresh();
            }
            System.out.printf("%-62s %s ms%n", "... the same read without refreshing (that day from raw rows)", format(rawDay));
            // issue 16: the breakdowns on the raw rows, then every report with a revenue attribute
            // (a contact attribute no benchmark contact had so far: reports without it skip revenue)
            dsl.execute("update contact set onboarded_at = timestamptz '2022-01-01 00:00Z' + (id % 1500) * interval '1 day'");
            dsl.execute("vacuum analyze contact");
            time(Math.min(runs, 2), "quarterly-nps --by attr:plan,quarter (raw rows)",
                    () -> reports.run("quarterly-nps", null, null, Breakdown.parse("attr:plan,quarter")));
            time(Math.min(runs, 2), "quarterly-nps --by tenure (raw rows)",
                    () -> reports.run("quarterly-nps", null, null, Breakdown.parse("tenure")));
            time(Math.min(runs, 2), "quarterly-nps --by quarter --where attr:plan=pro (raw rows)",
                    () -> reports.run("quarterly-nps", null, null, Breakdown.parse("quarter"),
                            SegmentFilter.parse(List.of("attr:plan=pro")), Reports.DEFAULT_CHURN_WINDOW));
            long tm = System.nanoTime();
            dsl.execute("update contact set attributes = attributes || jsonb_build_object('mrr', (id % 500)::text)");
            dsl.execute("vacuum analyze contact");
            System.out.printf("mrr given to every contact in %.1f s%n", (System.nanoTime() - tm) / 1e9);
            time(Math.min(runs, 2), "quarterly-nps --by quarter with revenue",
                    () -> reports.run("quarterly-nps", null, null, Breakdown.parse("quarter")));
            time(Math.min(runs, 2), "quarterly-nps --by category with revenue and churn",
                    () -> reports.run("quarterly-nps", null, null, Breakdown.parse("category")));
            if (Boolean.getBoolean("explain")) {
                dsl.execute("""
                        insert into report_dirty (campaign_id, day)
                        select campaign_id, day from report_day where campaign_id = (select id from campaign where key = 'quarterly-nps')
                        order by invited desc limit 1""");
                var sql = ReportQueries.sql("quarterly-nps", null, null, Breakdown.parse("quarter"));
                dsl.resultQuery("explain (analyze, buffers) {0}", sql).forEach(r -> System.out.println(r.get(0)));
            }
        }
        System.exit(0);
    }

    /** The query of the first report engine (commit 06ced03): every counted invitation with its response. */
    private static final String BEFORE = """
            select to_char(coalesce(i.sent_at, i.invite_at) at time zone 'UTC', 'YYYY-"Q"Q') as grp, count(*),
                   count(*) filter (where i.status = 'failed'), count(r.id),
                   count(r.id) filter (where r.score >= 9), count(r.id) filter (where r.score between 7 and 8),
                   count(r.id) filter (where r.score <= 6),
                   count(r.id) filter (where r.score = 0), count(r.id) filter (where r.score = 1), count(r.id) filter (where r.score = 2),
                   count(r.id) filter (where r.score = 3), count(r.id) filter (where r.score = 4), count(r.id) filter (where r.score = 5),
                   count(r.id) filter (where r.score = 6), count(r.id) filter (where r.score = 7), count(r.id) filter (where r.score = 8),
                   count(r.id) filter (where r.score = 9), count(r.id) filter (where r.score = 10),
                   percentile_cont(0.5) within group (order by extract(epoch from r.received_at - i.sent_at))
            from invitation i join campaign c on c.id = i.campaign_id
            left join response r on r.invitation_id = i.id
            where (i.sent_at is not null or i.status = 'failed') and c.key = ?
            group by 1 order by 1""";

    private static long count(DSLContext dsl, String sql) {
        return dsl.fetchOne(sql).get(0, Long.class);
    }

    private static void time(int runs, String what, Supplier<Object> report) {
        List<Double> ms = new ArrayList<>();
        Object last = null;
        for (int i = 0; i < runs; i++) {
            long t = System.nanoTime();
            last = report.get();
            ms.add((System.nanoTime() - t) / 1e6);
        }
        int rows = last instanceof List<?> l ? l.size() : last instanceof org.jooq.Result<?> r ? r.size() : -1;
        System.out.printf("%-62s %s ms (%d rows)%n", what, format(ms), rows);
    }

    private static String format(List<Double> ms) {
        StringBuilder out = new StringBuilder();
        for (double m : ms) {
            out.append(out.isEmpty() ? "" : ", ").append(Math.round(m));
        }
        return out.toString();
    }
}
