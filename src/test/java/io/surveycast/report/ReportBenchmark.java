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
import java.util.Map;
import java.nio.file.Path;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
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
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2027-01-15T00:00:00Z"), ZoneOffset.UTC);

    public static void main(String[] args) throws Exception {
        long n = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        String kept = System.getProperty("report.data", "");
        EmbeddedPostgres server = null;
        String url;
        if (kept.isEmpty()) {
            url = TestDatabase.freshUrl();
        } else {
            // a data directory kept between runs: the rows are generated once, later runs (and later
            // code: its new migrations run here) reuse them
            server = EmbeddedPostgres.builder().setDataDirectory(Path.of(kept)).setCleanDataDirectory(false)
                    .setServerConfig("shared_buffers", "512MB").setServerConfig("work_mem", "32MB")
                    .setServerConfig("max_wal_size", "4GB")
                    // -Dreport.slow=MS: PostgreSQL logs every statement that takes longer (where a page's time goes)
                    .setServerConfig("log_min_duration_statement", System.getProperty("report.slow", "-1"))
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(Path.of(System.getProperty("java.io.tmpdir"),
                            "surveycast-bench-postgres.log").toFile())).start();
            String name = "bench_" + n;
            try (var c = server.getPostgresDatabase().getConnection(); var st = c.createStatement()) {
                var rs = st.executeQuery("select 1 from pg_database where datname = '" + name + "'");
                if (!rs.next()) {
                    st.execute("create database " + name);
                }
            }
            url = "jdbc:postgresql://localhost:" + server.getPort() + "/" + name;
        }
        try (Database database = TestDatabase.open(url)) {
            DSLContext dsl = database.dsl();
            long tm = System.nanoTime();
            int migrated = database.migrate();
            System.out.printf("migrations run: %d (%.1f s)%n", migrated, (System.nanoTime() - tm) / 1e9);
            ReportSettings settings = new ReportSettings("mrr", "account", null);
            Reports reports = new Reports(dsl, Integer.MAX_VALUE, settings);
            if (dsl.fetchOne("select to_regclass('bench_ready') is not null").get(0, Boolean.class)) {
                System.out.println("reusing the rows of " + url);
            } else {
                generate(dsl, n);
            }
            long invitations = count(dsl, "select count(*) from invitation");
            long responses = count(dsl, "select count(*) from response");
            System.out.printf("invitations %,d, responses %,d, reminders sent %,d, contacts %,d, themes mentioned %,d%n",
                    invitations, responses, count(dsl, "select count(*) from message"),
                    count(dsl, "select count(*) from contact"), count(dsl, "select count(*) from response_theme"));
            long t1 = System.nanoTime();
            int days = reports.refresh();
            System.out.printf("refresh: %d campaign-days in %.1f s%n", days, (System.nanoTime() - t1) / 1e9);
            if (days > 0) {
                dsl.execute("vacuum analyze");
            }
            System.out.printf("load average at start: %s%n", loadAverage());
            long tl = System.nanoTime();
            if (Boolean.getBoolean("report.pagesOnly")) {
                pages(url, runs);
                System.exit(0);
            }
            try (ReportReplica replica = ReportReplica.loadNow(dsl, settings)) {
                System.out.printf("replica load (every fact, decision, contact, attribute and mention): %.1f s%n",
                        (System.nanoTime() - tl) / 1e9);
                Reports onReplica = new Reports(dsl, Integer.MAX_VALUE, settings, replica);
                breakdowns(onReplica, Boolean.parseBoolean(System.getProperty("report.postgres", "true")) ? reports : null, runs);
                if (!System.getProperty("report.only", "").isEmpty()) {
                    System.exit(0);
                }
                // a busy day of the wave changed: the next report recomputes it first (and the replica reloads it)
                for (String by : List.of("quarter", "attr:plan")) {
                    List<Double> dirtyRuns = new ArrayList<>();
                    for (int i = 0; i < Math.min(runs, 2); i++) {
                        dsl.execute("""
                                insert into report_dirty (campaign_id, day)
                                select campaign_id, day from report_day where campaign_id = (select id from campaign where key = 'quarterly-nps')
                                order by invited desc limit 1""");
                        long t = System.nanoTime();
                        onReplica.run("quarterly-nps", null, null, Breakdown.parse(by));
                        dirtyRuns.add((System.nanoTime() - t) / 1e6);
                    }
                    System.out.printf("%-70s %s ms%n", "replica: quarterly-nps --by " + by + " after its busiest day changed",
                            format(dirtyRuns));
                }
            }
            pages(url, runs);
            System.out.printf("load average at the end: %s%n", loadAverage());
        } finally {
            if (server != null) {
                server.close();
            }
        }
        System.exit(0);
    }

    /**
     * Every breakdown of issue 16, one and two dimensions, with and without --where: through Reports with
     * the replica, then (unless {@code postgres} is null: -Dreport.postgres=false) without it, and
     * whether both gave the same rows.
     */
    private static void breakdowns(Reports onReplica, Reports postgres, int runs) {
        List<String[]> cases = List.of(
                new String[] {null, "quarter", ""}, new String[] {"quarterly-nps", "quarter", ""},
                new String[] {null, "campaign", ""}, new String[] {"quarterly-nps", "wave", ""},
                new String[] {"quarterly-nps", "channel", ""}, new String[] {"quarterly-nps", "month", ""},
                new String[] {"quarterly-nps", "attr:plan", ""}, new String[] {"quarterly-nps", "tenure", ""},
                new String[] {"quarterly-nps", "category", ""}, new String[] {"quarterly-nps", "theme", ""},
                new String[] {"quarterly-nps", "account", ""}, new String[] {"onboarding-nps", "attr:plan", ""},
                new String[] {"quarterly-nps", "attr:plan,quarter", ""}, new String[] {"quarterly-nps", "tenure,quarter", ""},
                new String[] {"quarterly-nps", "category,channel", ""}, new String[] {"quarterly-nps", "wave,attr:region", ""},
                new String[] {"quarterly-nps", "quarter", "attr:plan=pro"},
                new String[] {"quarterly-nps", "attr:plan", "attr:region=emea"},
                new String[] {"quarterly-nps", "category", "attr:plan=pro,attr:plan=enterprise,attr:region=emea"},
                new String[] {"quarterly-nps", "theme", "attr:region=apac"});
        for (String[] c : cases) {
            SegmentFilter where = SegmentFilter.parse(c[2].isEmpty() ? List.of() : List.of(c[2].split(",")));
            String what = (c[0] == null ? "all campaigns" : c[0]) + " --by " + c[1]
                    + (c[2].isEmpty() ? "" : " --where " + c[2].replace(",", " --where "));
            if (!java.util.regex.Pattern.compile(System.getProperty("report.only", "")).matcher(what).find()) {
                continue;
            }
            Object replicaRows = time(runs, "replica: " + what,
                    () -> onReplica.run(c[0], null, null, Breakdown.parse(c[1]), where, Reports.DEFAULT_CHURN_WINDOW));
            if (postgres != null) {
                Object rows = time(runs, "postgresql: " + what,
                        () -> postgres.run(c[0], null, null, Breakdown.parse(c[1]), where, Reports.DEFAULT_CHURN_WINDOW));
                System.out.println(rows.equals(replicaRows) ? "  same rows" : "  DIFFERENT ROWS");
            }
        }
    }

    /** The dashboard's pages over HTTP, signed in as a viewer: the time to the whole answer. */
    private static void pages(String url, int runs) throws Exception {
        var settings = TestDatabase.settings(url, Map.of("SURVEYCAST_HTTP_PORT", "18093", "SURVEYCAST_HTTP_HOST", "127.0.0.1",
                "SURVEYCAST_DUE_SCAN_INTERVAL", "PT1H", "SURVEYCAST_DISPATCH_INTERVAL", "3600000"));
        try (Database pool = Database.open(settings, 8)) {
            String token = new io.surveycast.user.Users(pool.dsl(), CLOCK)
                    .add("bench-" + System.nanoTime(), io.surveycast.user.Role.VIEWER, "benchmark").token();
            var camel = io.surveycast.App.camel(settings, pool, CLOCK);
            camel.start();
            try {
                // the server loads its replica in the background: pages are timed once it reads it
                Reports served = camel.getCamelContext().getRegistry().lookupByNameAndType("reports", Reports.class);
                long loading = System.nanoTime();
                while (!served.onReplica()) {
                    Thread.sleep(500);
                }
                System.out.printf("the server's replica loaded in %.1f s%n", (System.nanoTime() - loading) / 1e9);
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                        .cookieHandler(new java.net.CookieManager()).followRedirects(HttpClient.Redirect.NEVER).build();
                String base = "http://127.0.0.1:18093";
                http.send(HttpRequest.newBuilder(URI.create(base + "/login"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("token=" + token)).build(), HttpResponse.BodyHandlers.ofString());
                for (String page : List.of("/", "/campaigns", "/campaigns/quarterly-nps", "/campaigns/onboarding-nps", "/segments", "/segments?by1=attr%3Aplan&by2=quarter", "/themes")) {
                    int[] status = new int[1];
                    time(runs, "page " + page, () -> {
                        try {
                            status[0] = http.send(HttpRequest.newBuilder(URI.create(base + page)).build(),
                                    HttpResponse.BodyHandlers.ofString()).statusCode();
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                        return null;
                    });
                    if (status[0] != 200) {
                        System.out.println("  status " + status[0]);
                    }
                }
            } finally {
                camel.stop();
            }
        }
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    /**
     * The rows: 1/10 of N contacts (plan, region, account and mrr attributes, an onboarding date for
     * 90%, a churn date for 10%), the invitations, answers (40% with a comment, those tagged with one
     * or two of five themes) and reminders; the roll-ups built; a table bench_ready marks them done.
     */
    private static void generate(DSLContext dsl, long n) {
        long contacts = Math.max(1, n / 10);
        long t0 = System.nanoTime();
        {
            Fixtures.examples(dsl, CLOCK);
            for (String t : List.of("invitation", "response", "message")) {
                dsl.execute("alter table " + t + " disable trigger user");
            }
            dsl.execute("""
                    insert into contact (external_id, email, timezone, attributes, created_at, updated_at, onboarded_at, churned_at)
                    select 'c' || g, 'user' || g || '@example.com', 'Europe/Paris',
                           jsonb_build_object('plan', (array['free','basic','pro','enterprise'])[1 + g %% 4],
                                              'region', (array['emea','amer','apac'])[1 + g %% 3],
                                              'account', 'acct-' || (g * 7 %% 2000), 'mrr', (g %% 500)::text),
                           now(), now(),
                           case when g %% 10 <> 0 then timestamptz '2022-01-01 00:00Z' + (g %% 1500) * interval '1 day' end,
                           case when g %% 10 = 3 then date '2025-01-01' + (g %% 700)::int end
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
                    insert into response (invitation_id, score, channel, comment, received_at, updated_at)
                    select id, (id * 31) % 11, coalesce(channel, 'email'), case when id % 5 < 2 then 'comment ' || id end, sent_at + ((id * 17) % 14400) * interval '1 minute',
                           sent_at + ((id * 17) % 14400) * interval '1 minute'
                    from invitation where sent_at is not null and (id * 7) % 100 < 32""");
            dsl.execute("update invitation i set status = 'responded', responded_at = r.received_at from response r where r.invitation_id = i.id");
            // what the due-scan at the benchmark's clock would expire (the dashboard's server below runs one)
            dsl.execute("""
                    update invitation i set status = 'expired' where i.status in ('planned', 'sent', 'delivered')
                    and i.expires_at <= timestamptz '2027-01-15 00:00Z'
                    and not exists (select 1 from response r where r.invitation_id = i.id)""");
            dsl.execute("""
                    insert into message (invitation_id, contact_id, kind, step, channel, status, not_before, sent_at, created_at, updated_at)
                    select i.id, i.contact_id, 'reminder', s, i.channel, 'sent', i.sent_at + s * interval '3 days',
                           i.sent_at + s * interval '3 days' + interval '1 hour', i.sent_at, i.sent_at
                    from invitation i cross join generate_series(1, 2) s
                    where i.sent_at is not null and (i.id %% 10 < 4 and s = 1 or i.id %% 10 < 1 and s = 2)""".replace("%%", "%"));
            dsl.execute("""
                    insert into theme (key, label, definition, definition_hash, created_at, updated_at)
                    select k, initcap(k), '{}'::jsonb, k, now(), now()
                    from unnest(array['price','support','onboarding','bugs','speed']) k
                    on conflict do nothing""");
            dsl.execute("""
                    insert into response_theme (response_id, theme_key, source)
                    select id, (array['price','support','onboarding','bugs','speed'])[1 + id % 5], 'rule'
                    from response where comment is not null
                    union all
                    select id, (array['price','support','onboarding','bugs','speed'])[1 + (id + 2) % 5], 'rule'
                    from response where comment is not null and id % 3 = 0""");
            dsl.execute("vacuum analyze");
            for (String t : List.of("invitation", "response", "message")) {
                dsl.execute("alter table " + t + " enable trigger user");
            }
            dsl.execute("""
                    insert into report_dirty (campaign_id, day)
                    select distinct d.campaign_id, d.day from invitation i,
                           report_days(i.campaign_id, i.status, i.sent_at, i.invite_at, i.planned_at, i.skip_reason, i.defer_reason) d""");
            long t1 = System.nanoTime();
            int days = new Reports(dsl).refresh();
            System.out.printf("generated in %.0f s; initial refresh: %d campaign-days in %.1f s%n", (t1 - t0) / 1e9, days,
                    (System.nanoTime() - t1) / 1e9);
            dsl.execute("create table bench_ready (at timestamptz)");
            dsl.execute("vacuum analyze");
        }
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

    private static Object time(int runs, String what, Supplier<Object> report) {
        List<Double> ms = new ArrayList<>();
        Object last = null;
        for (int i = 0; i < runs; i++) {
            long t = System.nanoTime();
            last = report.get();
            ms.add((System.nanoTime() - t) / 1e6);
        }
        int rows = last instanceof List<?> l ? l.size() : last instanceof org.jooq.Result<?> r ? r.size() : -1;
        System.out.printf("%-62s %s ms (%d rows)%n", what, format(ms), rows);
        return last;
    }

    private static String format(List<Double> ms) {
        StringBuilder out = new StringBuilder();
        for (double m : ms) {
            out.append(out.isEmpty() ? "" : ", ").append(Math.round(m));
        }
        return out.toString();
    }
}
