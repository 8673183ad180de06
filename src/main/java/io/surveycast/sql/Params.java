package io.surveycast.sql;

import java.util.HashMap;
import java.util.Map;
import org.jooq.QueryPart;
import org.jooq.impl.DSL;

/** What a {@link Statement}'s {@code :name} parameters stand for: bind values or jOOQ query parts. */
public final class Params {
    private final Map<String, QueryPart> parts;

    public Params() {
        this(new HashMap<>());
    }

    private Params(Map<String, QueryPart> parts) {
        this.parts = parts;
    }

    /** {@code :name} as a bind value. */
    public Params value(String name, Object value) {
        if (value instanceof QueryPart) {
            throw new IllegalArgumentException(":" + name + " is a query part: bind it with part(...)");
        }
        parts.put(name, DSL.val(value));
        return this;
    }

    /** {@code :name} as a query part: a field, a condition, an identifier, another statement. */
    public Params part(String name, QueryPart part) {
        parts.put(name, part);
        return this;
    }

    /** A copy to add the parameters of one part to, leaving these as they are. */
    public Params copy() {
        return new Params(new HashMap<>(parts));
    }

    QueryPart get(String name) {
        return parts.get(name);
    }
}
