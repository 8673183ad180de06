package io.surveycast.sql;

import java.util.ArrayList;
import java.util.List;
import org.jooq.DSLContext;
import org.jooq.QueryPart;
import org.jooq.Record;
import org.jooq.ResultQuery;
import org.jooq.SQL;
import org.jooq.impl.DSL;

/**
 * One named statement (or fragment) of a feature's SQL file. Its {@code :name} parameters are
 * turned into jOOQ's {@code {n}} placeholders once, when the file is read (a name used several
 * times is one placeholder), and bound from {@link Params} as bind values or query parts.
 */
public final class Statement {
    private final String where;
    private final String name;
    private final String comment;
    private final String text;
    private final String template;
    private final List<String> parameters;

    private Statement(String where, String name, String comment, String text, String template, List<String> parameters) {
        this.where = where;
        this.name = name;
        this.comment = comment;
        this.text = text;
        this.template = template;
        this.parameters = parameters;
    }

    public String name() {
        return name;
    }

    /** Why the statement is as it is: the comment lines under its name. */
    public String comment() {
        return comment;
    }

    /** The statement as written in the file, with its {@code :name} parameters. */
    public String text() {
        return text;
    }

    /** Its parameter names, each once, in order of first use. */
    public List<String> parameters() {
        return List.copyOf(parameters);
    }

    /** The statement with its parameters bound; a part of another statement or a query of its own. */
    public SQL sql(Params params) {
        Object[] parts = new Object[parameters.size()];
        for (int i = 0; i < parts.length; i++) {
            QueryPart part = params.get(parameters.get(i));
            if (part == null) {
                throw new IllegalArgumentException(where + ": statement " + name + ": no value for :" + parameters.get(i));
            }
            parts[i] = part;
        }
        return DSL.sql(template, parts);
    }

    public SQL sql() {
        return sql(new Params());
    }

    public ResultQuery<Record> query(DSLContext dsl, Params params) {
        return dsl.resultQuery(sql(params));
    }

    static Statement parse(String file, int line, String name, List<String> lines) {
        String where = file + ":" + line;
        int i = 0;
        StringBuilder comment = new StringBuilder();
        while (i < lines.size() && lines.get(i).strip().startsWith("--")) {
            comment.append(comment.isEmpty() ? "" : " ").append(lines.get(i).strip().substring(2).strip());
            i++;
        }
        String text = String.join("\n", lines.subList(i, lines.size())).strip();
        if (text.isEmpty()) {
            throw new IllegalArgumentException(where + ": statement " + name + " is empty");
        }
        List<String> parameters = new ArrayList<>();
        String template = placeholders(where, name, text, parameters);
        return new Statement(where, name, comment.toString(), text, template, parameters);
    }

    /**
     * The text with each {@code :name} outside string literals, quoted identifiers and comments
     * replaced by {@code {n}} ({@code ::} casts left alone). A {@code ?} or a brace there is refused:
     * jOOQ would read them as placeholders of its own.
     */
    private static String placeholders(String where, String name, String sql, List<String> parameters) {
        StringBuilder out = new StringBuilder(sql.length());
        int n = sql.length();
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            int end;
            if (c == '\'' || c == '"') {
                end = i + 1;
                while (end < n && sql.charAt(end) != c) {
                    end++;
                }
                end = Math.min(end + 1, n);
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                end = sql.indexOf('\n', i);
                end = end < 0 ? n : end;
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                end = sql.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
            } else if (c == ':' && i + 1 < n && sql.charAt(i + 1) == ':') {
                end = i + 2;
            } else if (c == ':' && i + 1 < n && (Character.isLetter(sql.charAt(i + 1)) || sql.charAt(i + 1) == '_')) {
                end = i + 1;
                while (end < n && (Character.isLetterOrDigit(sql.charAt(end)) || sql.charAt(end) == '_')) {
                    end++;
                }
                String parameter = sql.substring(i + 1, end);
                int index = parameters.indexOf(parameter);
                if (index < 0) {
                    index = parameters.size();
                    parameters.add(parameter);
                }
                out.append('{').append(index).append('}');
                i = end;
                continue;
            } else if (c == '?' || c == '{' || c == '}') {
                throw new IllegalArgumentException(where + ": statement " + name + ": '" + c
                        + "' outside a literal (use :name parameters)");
            } else {
                end = i + 1;
            }
            out.append(sql, i, end);
            i = end;
        }
        return out.toString();
    }
}
