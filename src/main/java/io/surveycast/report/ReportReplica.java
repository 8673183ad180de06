package io.surveycast.report;

import io.surveycast.sql.NamedSql;
import io.surveycast.sql.Params;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.duckdb.DuckDBConnection;
import org.jooq.DSLContext;
import org.jooq.QueryPart;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The report replica: an in-process DuckDB copy of what the reports over raw rows read (counted
 * invitations with their answers, skips and deferrals, contacts and their attributes, theme
 * mentions: sql/replica-schema.sql), where a breakdown of ten million invitations takes a fraction
 * of a second instead of minutes (docs/PERFORMANCE.md).
 *
 * <p>Exact, not eventually consistent: before each report it runs the roll-up refresh (waiting for
 * one running elsewhere), which stamps the campaign-days and contacts written since with a version
 * (V35), then reloads from PostgreSQL what was stamped after the last version it applied, all in
 * one snapshot, and applies that in one DuckDB transaction. A report sees every write committed
 * before it asked. Until its first load is done, {@link #query} answers empty and reports read
 * PostgreSQL.
 */
final class ReportReplica implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReportReplica.class);
    private static final NamedSql LOAD = NamedSql.of("replica-load");
    private static final NamedSql REPORT = NamedSql.of("report");
    private static final NamedSql SCHEMA = NamedSql.of("replica-schema");
    private static final NamedSql APPLY = NamedSql.of("replica-apply");
    /** The dimensions the answers' flags are scoped by, as the reports group them. */
    private static final NamedSql REPLICA_REPORT = NamedSql.of("replica-report");
    /** Renders the DuckDB statements of replica-apply.sql with their values inlined (a file name, a table name). */
    private static final DSLContext DUCKDB = DSL.using(SQLDialect.DUCKDB);
    /** The replica's tables copied from PostgreSQL, in the order they are loaded. */
    private static final String[] TABLES = {"campaign", "theme", "fact", "decision", "mention", "contact", "contact_attr"};
    /** What DuckDB derives (coded attributes, the answers with their flags) and the contacts to derive them for: emptied before a first load. */
    private static final String[] CODED = {"contact_code", "attr_name", "attr_value", "changed_contact", "answer",
            "changed_answerer"};
    /** What codes the attributes of the contacts in changed_contact, in order. */
    private static final String[] CODING = {"code-new-names", "add-new-names", "code-new-values", "code-reloaded-contacts"};

    /** A statement over the replica. */
    interface ReplicaQuery<T> {
        T run(Connection duck) throws SQLException;
    }

    private final DuckDBConnection duck;
    private final String revenueAttribute;
    private final ReportQueries queries = new ReportQueries();
    private final ReentrantLock syncing = new ReentrantLock();
    private final Path scratch;
    private volatile boolean loaded;
    private volatile boolean closed;
    /** The last version applied (V35). */
    private long version;
    /** The campaigns' and themes' fingerprint last copied. */
    private String fingerprint;
    /** Rows applied since the last checkpoint. */
    private long applied;
    /** Counted invitations per campaign and day as of the last sync (see {@link #sparse}). */
    private volatile Map<String, java.util.NavigableMap<java.time.LocalDate, Long>> factsPerDay = Map.of();
    /** Milliseconds each step of the last apply took, for the log of the first load. */
    private final Map<String, Long> timings = new LinkedHashMap<>();

    private ReportReplica(String revenueAttribute) {
        this.revenueAttribute = revenueAttribute;
        try {
            this.duck = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:");
            this.scratch = Files.createTempDirectory("surveycast-replica");
            try (Statement st = duck.createStatement()) {
                // compressed in memory once checkpointed: 10,000,000 facts take about 1/10 of the space
                st.execute("attach ':memory:' as replica (compress)");
                st.execute("use replica");
                st.execute(SCHEMA.get("replica-schema").text());
            }
        } catch (SQLException e) {
            throw new IllegalStateException("report replica: cannot start DuckDB: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("report replica: no scratch directory", e);
        }
    }

    /** A replica loaded now (tests, benchmarks). */
    static ReportReplica loadNow(DSLContext pg, ReportSettings settings) {
        ReportReplica replica = new ReportReplica(settings.revenueAttribute());
        replica.load(pg);
        return replica;
    }

    /** A replica that loads in the background; reports read PostgreSQL until it is done. */
    static ReportReplica loadLater(DSLContext pg, ReportSettings settings) {
        ReportReplica replica = new ReportReplica(settings.revenueAttribute());
        Thread.ofPlatform().name("report-replica-load").daemon().start(() -> {
            try {
                replica.load(pg);
            } catch (RuntimeException e) {
                if (!replica.closed) {
                    LOG.error("report replica: the first load failed, reports read PostgreSQL: {}", e.toString());
                }
            }
        });
        return replica;
    }

    /** Where the copies from PostgreSQL are written before DuckDB reads them. */
    Path scratch() {
        return scratch;
    }

    boolean loaded() {
        return loaded;
    }

    /**
     * Whether the replica's facts are sparse over the campaign-days a report covers (fewer than
     * {@code perDay} counted invitations per campaign-day on average), as of the last sync: the
     * roll-ups' cost grows with the campaign-days (a bucket of delays per hour of each), the
     * replica's with the invitations. An estimate that chooses where to count, never what.
     */
    boolean sparse(String campaign, java.time.LocalDate from, java.time.LocalDate toExclusive, long perDay) {
        long days = 0;
        long facts = 0;
        for (var perCampaign : factsPerDay.entrySet()) {
            if (campaign == null || campaign.equals(perCampaign.getKey())) {
                var range = perCampaign.getValue();
                var in = from == null && toExclusive == null ? range
                        : from == null ? range.headMap(toExclusive, false)
                        : toExclusive == null ? range.tailMap(from, true) : range.subMap(from, true, toExclusive, false);
                days += in.size();
                facts += in.values().stream().mapToLong(Long::longValue).sum();
            }
        }
        return days > 0 && facts < perDay * days;
    }

    /** The counted invitations per campaign key and day (for {@link #sparse}). */
    private Map<String, java.util.NavigableMap<java.time.LocalDate, Long>> readFactsPerDay() {
        Map<String, java.util.NavigableMap<java.time.LocalDate, Long>> out = new java.util.HashMap<>();
        try (Connection c = connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(APPLY.get("facts-per-day").text())) {
            while (rs.next()) {
                out.computeIfAbsent(rs.getString("key"), k -> new java.util.TreeMap<>())
                        .put(rs.getObject("day", java.time.LocalDate.class), rs.getLong("n"));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("report replica: " + e.getMessage(), e);
        }
        return out;
    }

    /**
     * Runs {@code q} on the replica brought up to date with every write committed so far, in one
     * DuckDB transaction (one state for all its statements). Empty while the first load is running.
     */
    <T> Optional<T> query(DSLContext pg, ReplicaQuery<T> q) {
        if (!loaded || closed) {
            return Optional.empty();
        }
        try {
            sync(pg);
        } catch (IllegalStateException | UncheckedIOException e) {
            // DuckDB or the scratch directory failed (not PostgreSQL: that fails the report either way):
            // this report reads PostgreSQL, the next sync tries again from the same version
            LOG.warn("report replica: cannot sync, this report reads PostgreSQL: {}", e.getMessage());
            return Optional.empty();
        }
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            try {
                return Optional.of(q.run(c));
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("report replica: " + e.getMessage(), e);
        }
    }

    /** Refreshes the roll-ups (waiting for a refresh running elsewhere) and applies what they stamped. */
    int sync(DSLContext pg) {
        if (!loaded || closed) {
            return 0;
        }
        syncing.lock();
        try {
            int days = queries.refresh(pg, true);
            if (closed) {
                return days;
            }
            apply(pg, false);
            if (applied > 1_000_000) {
                checkpoint();
            }
            return days;
        } finally {
            syncing.unlock();
            closeIfIdle();
        }
    }

    private void load(DSLContext pg) {
        syncing.lock();
        try {
            long started = System.nanoTime();
            apply(pg, true);
            checkpoint();
            loaded = true;
            LOG.info("report replica: loaded {} counted invitations in {} ms (ms per step: {})", count(),
                    (System.nanoTime() - started) / 1_000_000, timings);
        } finally {
            syncing.unlock();
            closeIfIdle();
        }
    }

    /**
     * Copies from one PostgreSQL snapshot everything ({@code all}) or what was stamped after the
     * last version applied, and replaces it in the replica in one transaction.
     */
    private void apply(DSLContext pg, boolean all) {
        timings.clear();
        Params since = new Params().value("version", version);
        long[] watermark = {0};
        String[] newFingerprint = {null};
        pg.connection(c -> {
            boolean autoCommit = c.getAutoCommit();
            int isolation = c.getTransactionIsolation();
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try {
                DSLContext tx = DSL.using(c, pg.dialect());
                var mark = LOAD.get("watermark").query(tx, new Params()).fetchSingle();
                watermark[0] = mark.get("version", Long.class);
                // a theme nobody mentions yet has its report row: themes (and campaigns) are copied whenever they change
                newFingerprint[0] = mark.get("fingerprint", String.class);
                if (!newFingerprint[0].equals(fingerprint)) {
                    copy(tx, "campaign", LOAD.get("campaigns").sql());
                    copy(tx, "theme", LOAD.get("themes").sql());
                }
                if (all || watermark[0] > version) {
                    copyFacts(tx, all, since);
                }
                c.commit();
            } catch (RuntimeException | SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setTransactionIsolation(isolation);
                c.setAutoCommit(autoCommit);
            }
        });
        boolean changed = all || watermark[0] > version;
        boolean named = !newFingerprint[0].equals(fingerprint);
        if (changed || named) {
            replace(all, changed, named);
            factsPerDay = readFactsPerDay();
        }
        version = Math.max(version, watermark[0]);
        fingerprint = newFingerprint[0];
    }

    /** The facts, decisions and mentions of the days, and the contacts, stamped after {@code since} (or all). */
    private void copyFacts(DSLContext tx, boolean all, Params since) {
        QueryPart days = LOAD.get("days-since").sql(since);
        QueryPart contacts = all ? DSL.trueCondition() : LOAD.get("contacts-since").sql(since);
        if (!all) {
            copy(tx, "changed_day", days);
            copy(tx, "changed_contact", LOAD.get("changed-contacts").sql(since));
        }
        QueryPart counted = LOAD.get("counted-of-days").sql(new Params().part("days", days));
        copy(tx, "fact", LOAD.get(all ? "facts-all" : "facts-of-days").sql(new Params()
                .part("counted", counted)
                .part("columns", LOAD.get("fact-columns").sql(new Params()
                        .part("answer_step", REPORT.get("answer-step").sql())))));
        Params decisions = new Params().part("days", days)
                .part("columns", LOAD.get("decision-columns").sql())
                .part("reasons", LOAD.get("decision-reasons").sql());
        copy(tx, "decision", LOAD.get(all ? "decisions-all" : "decisions-of-days").sql(decisions));
        copy(tx, "mention", LOAD.get(all ? "mentions-all" : "mentions-of-days").sql(new Params().part("counted", counted)));
        copy(tx, "contact", LOAD.get("contacts").sql(new Params().part("contacts", contacts)
                .value("revenue", revenueAttribute)));
        copy(tx, "contact_attr", LOAD.get("contact-attributes").sql(new Params().part("contacts", contacts)));
    }

    /** The rows of a PostgreSQL statement, as CSV in the scratch file of {@code table}. */
    private void copy(DSLContext tx, String table, QueryPart select) {
        long started = System.nanoTime();
        Path file = scratch.resolve(table + ".csv");
        String sql = tx.renderInlined(APPLY.get("copy-out").sql(new Params().part("select", select)));
        tx.connection(c -> {
            try (OutputStream out = Files.newOutputStream(file)) {
                c.unwrap(PGConnection.class).getCopyAPI().copyOut(sql, out);
            } catch (IOException e) {
                throw new UncheckedIOException("report replica: cannot write " + file, e);
            }
        });
        timings.put("copy " + table, (System.nanoTime() - started) / 1_000_000);
    }

    /** Swaps the copied rows into the replica, one DuckDB transaction: everything, what changed, and themes and campaigns when {@code named}. */
    private void replace(boolean all, boolean changed, boolean named) {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            try {
                if (all) {
                    for (String table : TABLES) {
                        run(st, duckdb("empty-table", new Params().part("table", DSL.name(table))));
                    }
                    for (String table : CODED) {
                        run(st, duckdb("empty-table", new Params().part("table", DSL.name(table))));
                    }
                } else if (changed) {
                    for (String keys : List.of("changed_day", "changed_contact")) {
                        run(st, duckdb("empty-table", new Params().part("table", DSL.name(keys))));
                        read(st, keys);
                    }
                    run(st, duckdb("empty-table", new Params().part("table", DSL.name("changed_answerer"))));
                    run(st, APPLY.get("note-answerers-of-changed-days").text());
                    for (String table : List.of("fact", "decision", "mention")) {
                        run(st, duckdb("drop-changed-days", new Params().part("table", DSL.name(table))));
                    }
                    run(st, APPLY.get("drop-changed-contacts").text());
                    for (String table : List.of("contact_attr", "contact_code")) {
                        run(st, duckdb("drop-changed-attributes", new Params().part("table", DSL.name(table))));
                    }
                }
                if (named) {
                    for (String table : List.of("campaign", "theme")) {
                        run(st, duckdb("empty-table", new Params().part("table", DSL.name(table))));
                        read(st, table);
                    }
                }
                if (changed) {
                    for (String table : TABLES) {
                        if (!table.equals("campaign") && !table.equals("theme")) {
                            read(st, table);
                        }
                    }
                    codeAttributes(st, all);
                    computeAnswers(st);
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("report replica: cannot apply the changes: " + e.getMessage(), e);
        }
    }

    /** Codes the attributes of the contacts just read (every contact on the first load) into contact_code. */
    private void codeAttributes(Statement st, boolean all) throws SQLException {
        long started = System.nanoTime();
        if (all) {
            run(st, APPLY.get("all-contacts-changed").text());
        } else {
            try (ResultSet rs = st.executeQuery(APPLY.get("changed-contact-count").text())) {
                rs.next();
                if (rs.getLong("n") == 0) {
                    return; // a day's answers changed, no contact: nothing to code
                }
            }
        }
        for (String step : CODING) {
            applied += run(st, APPLY.get(step).text());
        }
        timings.put("code attributes", (System.nanoTime() - started) / 1_000_000);
    }

    /** Computes again the answers (answer) of the contacts whose answers or revenue were just reloaded (every contact on the first load). */
    private void computeAnswers(Statement st) throws SQLException {
        long started = System.nanoTime();
        run(st, APPLY.get("note-answerers-of-changed-days").text());
        run(st, APPLY.get("note-reloaded-answerers").text());
        try (ResultSet rs = st.executeQuery(APPLY.get("changed-answerer-count").text())) {
            rs.next();
            if (rs.getLong("n") == 0) {
                return;
            }
        }
        run(st, APPLY.get("drop-changed-answers").text());
        applied += run(st, duckdb("add-changed-answers", new Params()
                .part("category", REPLICA_REPORT.get("dim-category").sql(new Params().part("score", DSL.field(DSL.name("x", "score")))))
                .part("tenure", REPLICA_REPORT.get("dim-tenure").sql(new Params().part("at", DSL.field(DSL.name("x", "at_us")))
                        .part("onboarded", DSL.field(DSL.name("ct", "onboarded_us")))))));
        timings.put("compute answers", (System.nanoTime() - started) / 1_000_000);
    }

    /** A new connection to the replica (DuckDB connections are cheap; each has its own transaction). */
    private Connection connect() throws SQLException {
        DuckDBConnection c = duck.duplicate();
        try (Statement st = c.createStatement()) {
            st.execute("use replica");
        }
        return c;
    }

    /**
     * Compresses what was written since the last checkpoint (new rows stay uncompressed until then):
     * after the first load, and once a million rows have been applied since.
     */
    private void checkpoint() {
        try (Statement st = duck.createStatement()) {
            st.execute("checkpoint replica");
            applied = 0;
        } catch (SQLException e) {
            LOG.debug("report replica: checkpoint skipped: {}", e.getMessage());
        }
    }

    /** Appends the scratch CSV of {@code table} to it. */
    private void read(Statement st, String table) throws SQLException {
        long started = System.nanoTime();
        applied += run(st, duckdb("read-copy", new Params().part("table", DSL.name(table))
                .value("file", scratch.resolve(table + ".csv").toString())));
        timings.put("read " + table, (System.nanoTime() - started) / 1_000_000);
    }

    /** Runs a DuckDB statement; returns the rows it changed. */
    private static long run(Statement st, String sql) throws SQLException {
        try {
            return st.execute(sql) ? 0 : st.getUpdateCount();
        } catch (SQLException e) {
            throw new SQLException(e.getMessage() + " (in: " + sql.strip() + ")", e);
        }
    }

    /** A statement of replica-apply.sql as DuckDB runs it. */
    private static String duckdb(String name, Params params) {
        return DUCKDB.renderInlined(APPLY.get(name).sql(params));
    }

    private long count() {
        try (Statement st = duck.createStatement(); ResultSet rs = st.executeQuery(APPLY.get("count-facts").text())) {
            rs.next();
            return rs.getLong("n");
        } catch (SQLException e) {
            return -1;
        }
    }

    /**
     * Frees the replica; a load or sync running now (the first load takes a minute at ten million
     * invitations) frees it when it ends, so that stopping the server does not wait for it.
     */
    @Override
    public void close() {
        closed = true;
        closeIfIdle();
    }

    private void closeIfIdle() {
        if (!closed || !syncing.tryLock()) {
            return;
        }
        try {
            if (!duck.isClosed()) {
                duck.close();
                deleteScratch();
            }
        } catch (SQLException e) {
            LOG.warn("report replica: closing DuckDB: {}", e.getMessage());
        } finally {
            syncing.unlock();
        }
    }

    private void deleteScratch() {
        try (var files = Files.list(scratch)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(scratch);
        } catch (IOException e) {
            LOG.warn("report replica: cannot delete {}: {}", scratch, e.getMessage());
        }
    }
}
