package io.surveycast.report;

import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.Properties;

/**
 * Benchmark (not a unit test): the replica's report statements alone, over a replica dumped to a
 * DuckDB file by {@code REPLICA_DUMP=FILE src/test/bench/replica.sh} (no PostgreSQL, no sync).
 * Arguments: the file, runs per statement (default 3).
 */
public final class ReplicaQueryBench {
    public static void main(String[] args) throws Exception {
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Properties readOnly = new Properties();
        readOnly.setProperty("duckdb.read_only", "true");
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:" + args[0], readOnly)) {
            ReplicaQueries queries = new ReplicaQueries();
            for (String by : List.of("quarter", "attr:plan", "tenure", "category", "account", "attr:plan,quarter", "wave,attr:region", "theme")) {
                ReportQuery q = new ReportQuery("quarterly-nps", null, null, Breakdown.parse(by), SegmentFilter.NONE, "account");
                StringBuilder rows = new StringBuilder();
                StringBuilder outcomes = new StringBuilder();
                for (int i = 0; i < runs; i++) {
                    long t0 = System.nanoTime();
                    queries.rows(duck, q);
                    long t1 = System.nanoTime();
                    queries.outcomes(duck, q, true, Reports.DEFAULT_CHURN_WINDOW);
                    long t2 = System.nanoTime();
                    rows.append(rows.isEmpty() ? "" : ", ").append((t1 - t0) / 1_000_000);
                    outcomes.append(outcomes.isEmpty() ? "" : ", ").append((t2 - t1) / 1_000_000);
                }
                System.out.printf("%-22s rows %s ms; outcomes %s ms%n", by, rows, outcomes);
            }
        }
    }
}
