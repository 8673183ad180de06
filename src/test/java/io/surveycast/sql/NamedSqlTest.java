package io.surveycast.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.jooq.SQLDialect;
import org.jooq.conf.ParamType;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;

class NamedSqlTest {
    private static final String FILE = """
            -- a file may start with comments
            -- name: due
            -- Why: the invitations due at :at (a comment: not a parameter).
            select i.id, i.invite_at::date as day, ':not_a_param' as s, "weird:col"
            from invitation i
            where i.invite_at <= :at and i.campaign_id = :campaign and i.expires_at > :at -- :nor_this
              and :extra

            -- name: extra
            -- A fragment bound into due.
            i.channel = any(:channels)
            """;

    private static String render(org.jooq.QueryPart part) {
        return DSL.using(SQLDialect.POSTGRES).renderInlined(part);
    }

    @Test
    void blocksAreReadByNameWithTheirComment() {
        Map<String, Statement> sql = NamedSql.parse("test.sql", FILE);
        assertThat(sql).containsOnlyKeys("due", "extra");
        assertThat(sql.get("due").comment()).isEqualTo("Why: the invitations due at :at (a comment: not a parameter).");
        assertThat(sql.get("due").parameters()).containsExactly("at", "campaign", "extra");
        assertThat(sql.get("extra").parameters()).containsExactly("channels");
    }

    @Test
    void parametersAreBoundAsValuesOrQueryPartsNeverSpliced() {
        Map<String, Statement> sql = NamedSql.parse("test.sql", FILE);
        var extra = sql.get("extra").sql(new Params().value("channels", new String[] {"email"}));
        var due = sql.get("due").sql(new Params()
                .value("at", java.time.LocalDate.parse("2027-04-06"))
                .value("campaign", "x'); drop table contact; --")
                .part("extra", extra));
        var query = DSL.using(SQLDialect.POSTGRES).resultQuery(due);
        // a value is a bind value, however it looks; :at used twice is bound twice
        assertThat(query.getBindValues()).hasSize(4).contains("x'); drop table contact; --");
        String inlined = render(due);
        assertThat(inlined)
                .contains("i.invite_at::date as day, ':not_a_param' as s, \"weird:col\"")
                .contains("-- :nor_this")
                .contains("i.campaign_id = 'x''); drop table contact; --'")
                .contains("and i.channel = any(");
    }

    @Test
    void aMissingParameterIsAClearError() {
        Map<String, Statement> sql = NamedSql.parse("test.sql", FILE);
        assertThatThrownBy(() -> sql.get("due").sql(new Params().value("at", 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("test.sql:2: statement due: no value for :campaign");
    }

    @Test
    void jooqPlaceholdersAndDuplicateNamesAreRefused() {
        assertThatThrownBy(() -> NamedSql.parse("test.sql", "-- name: a\n-- why\nselect ? \n"))
                .hasMessageContaining("test.sql:1: statement a: '?' outside a literal");
        assertThatThrownBy(() -> NamedSql.parse("test.sql", "-- name: a\n-- why\nselect {0}\n"))
                .hasMessageContaining("'{' outside a literal");
        assertThatThrownBy(() -> NamedSql.parse("test.sql", "-- name: a\n-- why\nselect 1\n-- name: a\nselect 2\n"))
                .hasMessageContaining("statement a is named twice");
        assertThatThrownBy(() -> NamedSql.parse("test.sql", "select 1\n-- name: a\nselect 2\n"))
                .hasMessageContaining("SQL before the first -- name: line");
    }

    @Test
    void theFeatureFilesLoadAndKnowTheirStatements() {
        assertThat(NamedSql.of("plan").names()).contains("plan", "remind", "expire", "wave-candidates");
        assertThat(NamedSql.of("report").names()).contains("refresh", "rollup-report", "raw-report", "aggregate");
        assertThatThrownBy(() -> NamedSql.of("plan").get("nope")).hasMessage("sql/plan.sql: no statement named nope");
    }
}
