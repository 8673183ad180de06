package io.surveycast.plan;

import java.util.List;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the planner's statistics of the tables planning reads true to their contents before
 * planning statements run (issue 18.4). Contacts written by another path than the import (API
 * upserts, a bulk SQL load) or invitations a scan has just planned leave statistics that still
 * describe a near-empty table: PostgreSQL then estimates one candidate and joins the real
 * candidates with nested loops, which grow with the square of the rows (a scan over 15,000
 * unanalysed onboarding contacts ran 373 s). The planning statements cannot be made linear for
 * every estimate without giving up the index lookups that keep the frequent small scans cheap,
 * so a scan analyses, under its planning lock, each of these tables that has grown or changed
 * by more than a tenth since its last ANALYZE. ANALYZE reads a fixed-size sample (about half a
 * second on a million contacts), and the check is one catalogue query. In a transaction, the
 * ANALYZE's lock on the table (SHARE UPDATE EXCLUSIVE: other ANALYZE, VACUUM and DDL wait, reads
 * and writes do not) lasts until its end, so the due-scan refreshes outside its transactions.
 */
final class PlannerStatistics {
    private static final Logger LOG = LoggerFactory.getLogger(PlannerStatistics.class);
    private static final List<String> TABLES = List.of("contact", "invitation", "message", "suppression", "event", "response");

    /**
     * A table is stale when its rows changed since the last ANALYZE by more than a tenth of what
     * it had then (plus 1,000), or when it now has more pages than a tenth above the last count
     * (plus 8). The page count is exact at once, while the change counters of other sessions
     * reach the cumulative statistics up to a second late (and would count again rows an ANALYZE
     * has just seen), so they are only trusted for a table not analysed in the last minute.
     */
    private static final String STALE = """
            select c.relname
            from pg_class c
            join pg_stat_user_tables s on s.relid = c.oid
            where c.relname = any({0}) and c.relnamespace = current_schema()::regnamespace
              and ((s.n_mod_since_analyze > 1000 + 0.1 * greatest(c.reltuples, 0)
                    and coalesce(greatest(s.last_analyze, s.last_autoanalyze), '-infinity') < clock_timestamp() - interval '1 minute')
                   or pg_relation_size(c.oid) / current_setting('block_size')::bigint > c.relpages * 1.1 + 8)
            order by c.relname
            """;

    /** Analyses the planning tables whose statistics are stale; returns their names. */
    List<String> refresh(DSLContext dsl) {
        List<String> stale = dsl.fetch(STALE, DSL.val(TABLES.toArray(String[]::new))).getValues(0, String.class);
        for (String table : stale) {
            long start = System.nanoTime();
            dsl.execute("analyze {0}", DSL.name(table));
            LOG.info("analysed {} before planning: its statistics were stale ({} ms)", table,
                    (System.nanoTime() - start) / 1_000_000);
        }
        return stale;
    }
}
