package io.surveycast.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.surveycast.support.Fixtures;
import io.surveycast.support.FreshDatabase;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.jooq.DSLContext;
import org.jooq.Query;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The dispatcher's due probe and claim, run on every pass, keep to the partial index on queued
 * messages in the plan PostgreSQL settles on for a prepared statement (its generic plan, after five
 * runs). With the status as a bind value the generic plan could not use the index and scanned every
 * message: 1-4 s per probe at 4.6 million messages, a core kept busy by an idle server.
 */
class PolledQueriesPlanTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-06-01T12:00:00Z"), ZoneOffset.UTC);

    @RegisterExtension
    final FreshDatabase db = new FreshDatabase();

    @Test
    void theDueProbeAndTheClaimUseTheQueuedMessagesIndexInAGenericPlan() {
        Fixtures.contacts(db.dsl(), CLOCK, "external_id,email\nc1,c1@example.com\n");
        // many sent messages, none queued: the history a server carries between waves
        db.dsl().execute("""
                insert into invitation (campaign_id, contact_id, cycle, status, trigger_at, planned_at)
                select 1, (select min(id) from contact), 'wave:' || g, 'sent', now(), now() from generate_series(1, 200) g""");
        db.dsl().execute("""
                insert into message (invitation_id, contact_id, kind, step, channel, status, not_before, created_at, updated_at)
                select i.id, i.contact_id, 'reminder', s, 'email', 'sent', now(), now(), now()
                from invitation i cross join generate_series(1, 100) s""");
        db.dsl().execute("analyze message");
        // bind values as $1, $2...: what the JDBC driver prepares
        DSLContext numbered = DSL.using(db.dsl().dialect(), new Settings().withRenderNamedParamPrefix("$"));
        Instant now = CLOCK.instant();
        Map<String, Query> polled = Map.of(
                "due probe", OutboxQueries.dueProbe(now),
                "claim", OutboxQueries.dueMessages("email", now, 10));
        polled.forEach((name, query) -> {
            String sql = numbered.renderNamedParams(query);
            String values = query.getBindValues().stream().map(v -> numbered.renderInlined(DSL.inline(v)))
                    .collect(java.util.stream.Collectors.joining(", "));
            StringBuilder plan = new StringBuilder();
            db.dsl().connection(c -> {
                try (var st = c.createStatement()) {
                    st.execute("set plan_cache_mode = force_generic_plan");
                    st.execute("prepare polled as " + sql);
                    try (var rs = st.executeQuery("explain execute polled(" + values + ")")) {
                        while (rs.next()) {
                            plan.append(rs.getString(1)).append('\n');
                        }
                    }
                    st.execute("deallocate polled");
                }
            });
            assertThat(plan.toString()).as(name + ": " + sql).contains("message_claim").doesNotContain("Seq Scan on message");
        });
    }
}
