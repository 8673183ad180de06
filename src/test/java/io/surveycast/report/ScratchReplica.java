package io.surveycast.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.Result;

/**
 * A test's DuckDB filled from PostgreSQL as replica-schema.sql defines its columns, until
 * ReportReplica lands: for developing the replica statements only.
 */
final class ScratchReplica implements AutoCloseable {
    final Connection duck;

    private ScratchReplica(Connection duck) {
        this.duck = duck;
    }

    static ScratchReplica load(DSLContext pg, String revenueAttribute) throws SQLException {
        Connection duck = DriverManager.getConnection("jdbc:duckdb:");
        try (Statement s = duck.createStatement(); InputStream in = ScratchReplica.class.getResourceAsStream("/sql/replica-schema.sql")) {
            for (String statement : new String(in.readAllBytes(), StandardCharsets.UTF_8).replaceAll("--[^\n]*", "").split(";")) {
                if (!statement.isBlank()) {
                    s.execute(statement);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        copy(pg, duck, "campaign", "select id, key from campaign");
        copy(pg, duck, "fact", """
                select i.campaign_id, ((coalesce(i.sent_at, i.invite_at) at time zone 'UTC')::date)::text,
                       (extract(epoch from coalesce(i.sent_at, i.invite_at)) * 1000000)::bigint, i.id, i.contact_id, i.cycle,
                       coalesce((select vm.channel from message vm where vm.id = r.via_message_id), i.channel),
                       i.status = 'failed', coalesce(i.channel = 'offline', false), r.id, r.score,
                       (extract(epoch from r.received_at) * 1000000)::bigint,
                       case when r.id is not null then coalesce((select max(m.step) from message m
                           where m.invitation_id = i.id and m.kind = 'reminder' and m.sent_at <= r.received_at), 0) end,
                       case when i.channel is distinct from 'offline' then extract(epoch from r.received_at - i.sent_at)::float8 end,
                       case when r.id is not null then coalesce(btrim(r.comment), '') <> '' end
                from invitation i left join response r on r.invitation_id = i.id
                where i.sent_at is not null or i.status = 'failed'""");
        copy(pg, duck, "decision", """
                select i.campaign_id, ((i.planned_at at time zone 'UTC')::date)::text,
                       (extract(epoch from i.planned_at) * 1000000)::bigint, i.id, i.contact_id, i.cycle, i.channel,
                       v.kind, v.reason
                from invitation i
                cross join lateral (values
                     ('skip', coalesce(i.skip_reason, case when i.status = 'expired' and i.sent_at is null then 'expired' end)),
                     ('defer', i.defer_reason)) v(kind, reason)
                where v.reason is not null""");
        copy(pg, duck, "contact", """
                select id, (extract(epoch from onboarded_at) * 1000000)::bigint, churned_at::text,
                       report_number(attributes ->> '%s'), scale(report_number(attributes ->> '%s'))
                from contact""".formatted(revenueAttribute, revenueAttribute));
        copy(pg, duck, "contact_attr", """
                select ct.id, a.key, a.value from contact ct, jsonb_each_text(ct.attributes) a where a.value is not null""");
        copy(pg, duck, "mention", """
                select i.campaign_id, ((coalesce(i.sent_at, i.invite_at) at time zone 'UTC')::date)::text, rt.response_id, rt.theme_key
                from response_theme rt join response r on r.id = rt.response_id join invitation i on i.id = r.invitation_id""");
        copy(pg, duck, "theme", "select key from theme");
        return new ScratchReplica(duck);
    }

    private static void copy(DSLContext pg, Connection duck, String table, String select) throws SQLException {
        Result<Record> rows = pg.resultQuery(select).fetch();
        int n = rows.fields().length;
        try (PreparedStatement insert = duck.prepareStatement("insert into " + table + " values ("
                + "?,".repeat(n - 1) + "?)")) {
            for (Record r : rows) {
                for (int i = 0; i < n; i++) {
                    insert.setObject(i + 1, r.get(i));
                }
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    @Override
    public void close() throws SQLException {
        duck.close();
    }
}
