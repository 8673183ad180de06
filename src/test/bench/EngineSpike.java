import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Issue 16.5's question, measured: can PostgreSQL scan the narrowest possible fact table fast enough
 * for a breakdown by a contact attribute at 10,000,000 invitations, or does it take an analytical
 * engine (DuckDB, in-process)? The same synthetic rows in both (N invitations over N/10 contacts,
 * 32% answered), the same statements, each run RUNS times. Not part of the product.
 */
public class EngineSpike {
    static final Map<String, String> QUERIES = new LinkedHashMap<>();
    static {
        String tenure = "case when f.day - ct.onboarded < 91 then '0-90d' when f.day - ct.onboarded < 181 then '91-180d' "
                + "when f.day - ct.onboarded < 366 then '181-365d' when f.day - ct.onboarded < 731 then '1-2y' else '2y+' end";
        String figures = "count(*) as invited, count(score) as responded, count(*) filter (where score >= 9) as promoters, "
                + "count(*) filter (where score <= 6) as detractors, percentile_cont(0.5) within group (order by delay) as median";
        QUERIES.put("campaign 1 by quarter (no join)", "select date_trunc('quarter', day) as g, " + figures + " from f where campaign = 1 group by 1");
        QUERIES.put("campaign 1 by attr:plan", "select ct.plan, " + figures + " from f join ct on ct.id = f.contact where campaign = 1 group by 1");
        QUERIES.put("all by attr:plan,quarter", "select ct.plan, date_trunc('quarter', day) as q, " + figures + " from f join ct on ct.id = f.contact group by 1, 2");
        QUERIES.put("all by tenure", "select " + tenure + " as t, " + figures + " from f join ct on ct.id = f.contact group by 1");
        QUERIES.put("all by account (50,000 groups)", "select ct.account, " + figures + " from f join ct on ct.id = f.contact group by 1");
        QUERIES.put("all by region where plan = pro", "select ct.region, " + figures + " from f join ct on ct.id = f.contact where ct.plan = 'pro' group by 1");
        QUERIES.put("revenue by plan (latest answer per contact)", "with a as (select ct.plan as grp, f.contact, max(f.score) as score, max(ct.mrr) as mrr "
                + "from f join ct on ct.id = f.contact where score is not null group by 1, 2) select grp, count(*), sum(mrr), "
                + "sum(mrr) filter (where score >= 9), sum(mrr) filter (where score <= 6) from a group by 1");
    }

    public static void main(String[] args) throws Exception {
        long n = Long.parseLong(args.length > 0 ? args[0] : "10000000");
        int runs = Integer.parseInt(args.length > 1 ? args[1] : "3");
        long contacts = n / 10;
        Map<String, List<Long>> pg = new LinkedHashMap<>();
        Map<String, List<Long>> duck = new LinkedHashMap<>();
        try (EmbeddedPostgres server = EmbeddedPostgres.builder().setServerConfig("shared_buffers", "1GB")
                .setServerConfig("work_mem", "256MB").setServerConfig("max_parallel_workers_per_gather", "2").start();
             Connection c = server.getPostgresDatabase().getConnection()) {
            long t = System.nanoTime();
            exec(c, "create table ct (id int primary key, plan text, region text, onboarded date, mrr numeric, account text)",
                    "insert into ct select g, (array['free','pro','team'])[1 + g % 3], (array['eu','us','apac','latam','mea'])[1 + g % 5], "
                            + "date '2022-01-01' + (g % 1500)::int, (g % 500) * 10, 'acct-' || (g % 50000) from generate_series(1, " + contacts + ") g",
                    "create table f (campaign smallint, day date, channel smallint, contact int, score smallint, delay real)",
                    "insert into f select case when g % 10 < 8 then 1 when g % 10 = 8 then 2 else 3 end, date '2024-01-01' + (g % 730)::int, "
                            + "g % 2, 1 + (g % " + contacts + "), case when g % 100 < 32 then g % 11 end, case when g % 100 < 32 then g % 864000 end "
                            + "from generate_series(1, " + n + ") g",
                    "vacuum analyze ct", "vacuum analyze f");
            System.out.printf("PostgreSQL %s: loaded in %.1f s%n", one(c, "show server_version"), (System.nanoTime() - t) / 1e9);
            time(c, runs, pg);
        }
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
            long t = System.nanoTime();
            exec(c, "set threads = 2",
                    "create table ct as select g::int as id, (['free','pro','team'])[1 + g % 3] as plan, (['eu','us','apac','latam','mea'])[1 + g % 5] as region, "
                            + "date '2022-01-01' + (g % 1500)::int as onboarded, ((g % 500) * 10)::decimal(18,2) as mrr, 'acct-' || (g % 50000) as account "
                            + "from range(1, " + (contacts + 1) + ") t(g)",
                    "create table f as select (case when g % 10 < 8 then 1 when g % 10 = 8 then 2 else 3 end)::smallint as campaign, "
                            + "date '2024-01-01' + (g % 730)::int as day, (g % 2)::smallint as channel, (1 + (g % " + contacts + "))::int as contact, "
                            + "case when g % 100 < 32 then (g % 11)::smallint end as score, case when g % 100 < 32 then (g % 864000)::real end as delay "
                            + "from range(1, " + (n + 1) + ") t(g)");
            System.out.printf("DuckDB %s: loaded in %.1f s%n", one(c, "select version()"), (System.nanoTime() - t) / 1e9);
            time(c, runs, duck);
        }
        System.out.printf("%n| statement (%,d invitations, ms per run) | PostgreSQL | DuckDB |%n|---|---|---|%n", n);
        for (String q : QUERIES.keySet()) {
            System.out.printf("| %s | %s | %s |%n", q, pg.get(q), duck.get(q));
        }
        System.out.println("load average at the end: " + java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).strip());
    }

    static void time(Connection c, int runs, Map<String, List<Long>> out) throws Exception {
        for (var q : QUERIES.entrySet()) {
            List<Long> ms = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                long t = System.nanoTime();
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(q.getValue())) {
                    while (rs.next()) {
                        rs.getObject(1);
                    }
                }
                ms.add((System.nanoTime() - t) / 1_000_000);
            }
            out.put(q.getKey(), ms);
        }
    }

    static void exec(Connection c, String... statements) throws Exception {
        try (Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        }
    }

    static String one(Connection c, String sql) throws Exception {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
