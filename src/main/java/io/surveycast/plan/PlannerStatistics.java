package io.surveycast.plan;

import io.surveycast.sql.NamedSql;
import io.surveycast.sql.Params;
import io.surveycast.sql.Statement;
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

    /** When a table is stale: the statement stale-statistics of src/main/resources/sql/plan.sql. */
    private static final Statement STALE = NamedSql.of("plan").get("stale-statistics");

    /** Analyses the planning tables whose statistics are stale; returns their names. */
    List<String> refresh(DSLContext dsl) {
        List<String> stale = STALE.query(dsl, new Params().value("tables", TABLES.toArray(String[]::new)))
                .fetch("relname", String.class);
        for (String table : stale) {
            long start = System.nanoTime();
            dsl.execute("analyze {0}", DSL.name(table));
            LOG.info("analysed {} before planning: its statistics were stale ({} ms)", table,
                    (System.nanoTime() - start) / 1_000_000);
        }
        return stale;
    }
}
