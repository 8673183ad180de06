package io.surveycast.report;

import io.surveycast.config.Database;
import io.surveycast.support.TestDatabase;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.jooq.DSLContext;

/**
 * Benchmark (not a unit test): the report replica over the report benchmark's kept rows
 * (REPORT_DATA of src/test/bench/report.sh): its first load, a sync with nothing new, a sync after
 * a day's answers changed, and the memory DuckDB holds. Run with src/test/bench/replica.sh.
 */
public final class ReplicaBenchmark {
    public static void main(String[] args) throws Exception {
        long n = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
        EmbeddedPostgres server = EmbeddedPostgres.builder().setDataDirectory(Path.of(System.getProperty("report.data")))
                .setCleanDataDirectory(false).setServerConfig("shared_buffers", "512MB").setServerConfig("work_mem", "32MB")
                .setServerConfig("max_wal_size", "4GB").start();
        try (server; Database database = TestDatabase.open("jdbc:postgresql://localhost:" + server.getPort() + "/bench_" + n)) {
            DSLContext dsl = database.dsl();
            System.out.printf("migrations run: %d%n", database.migrate());
            long t = System.nanoTime();
            System.out.printf("refresh: %d campaign-days in %.1f s%n", new Reports(dsl).refresh(), (System.nanoTime() - t) / 1e9);
            t = System.nanoTime();
            try (ReportReplica replica = ReportReplica.loadNow(dsl, new ReportSettings("mrr", "account", null))) {
                System.out.printf("first load: %.1f s%n", (System.nanoTime() - t) / 1e9);
                replica.query(dsl, duck -> {
                    try (Statement st = duck.createStatement(); ResultSet rs = st.executeQuery(
                            "select (select count(*) from fact), (select count(*) from decision), (select count(*) from contact), "
                                    + "(select count(*) from contact_attr), (select count(*) from mention), "
                                    + "(select sum(memory_usage_bytes) from duckdb_memory())")) {
                        rs.next();
                        System.out.printf("facts %,d, decisions %,d, contacts %,d, attributes %,d, mentions %,d; DuckDB memory %,d MB%n",
                                rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6) >> 20);
                    }
                    return true;
                });
                for (int i = 0; i < 3; i++) {
                    t = System.nanoTime();
                    replica.sync(dsl);
                    System.out.printf("sync, nothing new: %.0f ms%n", (System.nanoTime() - t) / 1e6);
                }
                String dump = System.getProperty("replica.dump", "");
                if (!dump.isEmpty()) {
                    replica.query(dsl, duck -> {
                        duck.setAutoCommit(true);
                        try (Statement st = duck.createStatement()) {
                            st.execute("attach '" + dump + "' as dumped");
                            st.execute("copy from database replica to dumped");
                            st.execute("detach dumped");
                        }
                        duck.setAutoCommit(false); // query() rolls back its transaction
                        return true;
                    });
                    System.out.println("dumped to " + dump);
                    return;
                }
                // where a report's time goes: the sync, each statement over the replica, the whole report
                ReplicaQueries queries = new ReplicaQueries();
                Reports reports = new Reports(dsl, 4, new ReportSettings("mrr", "account", null), replica);
                for (String by : List.of("quarter", "attr:plan", "account", "attr:plan,quarter")) {
                    ReportQuery q = new ReportQuery("quarterly-nps", null, null, Breakdown.parse(by), SegmentFilter.NONE, "account");
                    for (int i = 0; i < 2; i++) {
                        long t0 = System.nanoTime();
                        replica.query(dsl, duck -> queries.rows(duck, q));
                        long t1 = System.nanoTime();
                        replica.query(dsl, duck -> queries.outcomes(duck, q, true, Reports.DEFAULT_CHURN_WINDOW));
                        long t2 = System.nanoTime();
                        reports.run("quarterly-nps", null, null, Breakdown.parse(by));
                        long t3 = System.nanoTime();
                        System.out.printf("--by %s: sync+rows %.0f ms, sync+outcomes %.0f ms, whole report %.0f ms%n", by,
                                (t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6);
                    }
                }
                for (int i = 0; i < 3; i++) {
                    // one day's answers of the big campaign change: that day is reloaded
                    int changed = dsl.execute("update response set updated_at = updated_at where invitation_id in (select id from invitation "
                            + "where campaign_id = (select min(campaign_id) from invitation) and sent_at >= '2026-05-0" + (4 + i)
                            + "' and sent_at < '2026-05-0" + (5 + i) + "')");
                    t = System.nanoTime();
                    replica.sync(dsl);
                    System.out.printf("sync after %,d answers of one day changed: %.0f ms%n", changed, (System.nanoTime() - t) / 1e6);
                }
                for (int contacts : new int[] {1, 1_000, 10_000, 1, 1_000, 10_000}) {
                    // contacts' plans change (a CRM sync): their rows and codes are reloaded; each set twice, so the rows end as they were
                    int changed = dsl.execute("update contact set attributes = attributes || jsonb_build_object('plan', "
                            + "case when attributes->>'plan' = 'pro' then 'pro2' when attributes->>'plan' = 'pro2' then 'pro' "
                            + "else attributes->>'plan' end) where attributes->>'plan' is not null and id in (select id from contact order by id limit " + contacts + ")");
                    t = System.nanoTime();
                    replica.sync(dsl);
                    System.out.printf("sync after %,d contacts changed: %.0f ms%n", changed, (System.nanoTime() - t) / 1e6);
                }
            }
        }
    }
}
