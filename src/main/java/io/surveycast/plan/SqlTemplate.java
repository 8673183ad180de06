package io.surveycast.plan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jooq.QueryPart;
import org.jooq.impl.DSL;

/**
 * A SQL text with {@code :name} placeholders bound to jOOQ query parts (bind values, tables,
 * fields), for the few statements jOOQ's DSL cannot express well, such as INSERTs chained
 * through data-modifying CTEs.
 */
final class SqlTemplate {
    private static final Pattern NAME = Pattern.compile("(?<!:):([a-zA-Z_][a-zA-Z0-9_]*)");
    private final String sql;
    private final Map<String, QueryPart> parts = new LinkedHashMap<>();

    SqlTemplate(String sql) {
        this.sql = sql;
    }

    SqlTemplate bind(String name, QueryPart part) {
        parts.put(name, part);
        return this;
    }

    SqlTemplate value(String name, Object value) {
        return bind(name, DSL.val(value));
    }

    /** The text with {@code {n}} references and the parts in order, as jOOQ's plain SQL API takes them. */
    private Object[] toJooq() {
        List<QueryPart> ordered = new ArrayList<>();
        Matcher matcher = NAME.matcher(sql);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            QueryPart part = parts.get(matcher.group(1));
            if (part == null) {
                throw new IllegalArgumentException("no value bound for :" + matcher.group(1));
            }
            matcher.appendReplacement(out, "{" + ordered.size() + "}");
            ordered.add(part);
        }
        matcher.appendTail(out);
        return new Object[] {out.toString(), ordered.toArray(QueryPart[]::new)};
    }

    org.jooq.ResultQuery<org.jooq.Record> resultQuery(org.jooq.DSLContext dsl) {
        Object[] jooq = toJooq();
        return dsl.resultQuery((String) jooq[0], (Object[]) jooq[1]);
    }
}
