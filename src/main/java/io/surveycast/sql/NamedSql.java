package io.surveycast.sql;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The named SQL statements of one feature, from {@code src/main/resources/sql/FEATURE.sql}, read
 * once (listmonk style). A block starts with a {@code -- name: NAME} line, then comment lines
 * saying why the statement is as it is, then the statement, up to the next name line:
 *
 * <pre>
 * -- name: expire
 * -- Expires the open invitations whose time is up, cancelling their queued messages.
 * with expired as (update invitation ... where i.expires_at &lt;= :at ...)
 * </pre>
 *
 * A statement's {@code :name} parameters are bound to values or to jOOQ query parts (a condition,
 * a field, another named statement) by {@link Statement#sql}; nothing is spliced into its text.
 */
public final class NamedSql {
    private static final Map<String, NamedSql> FILES = new ConcurrentHashMap<>();
    private static final Pattern NAME_LINE = Pattern.compile("^--\\s*name:\\s*(\\S+)\\s*$");

    private final String file;
    private final Map<String, Statement> statements;

    private NamedSql(String file, Map<String, Statement> statements) {
        this.file = file;
        this.statements = statements;
    }

    /** The statements of {@code sql/FEATURE.sql} on the classpath (read and checked on first use). */
    public static NamedSql of(String feature) {
        return FILES.computeIfAbsent(feature, NamedSql::load);
    }

    /** The statement called {@code name}; an unknown name is a programming error. */
    public Statement get(String name) {
        Statement statement = statements.get(name);
        if (statement == null) {
            throw new IllegalArgumentException(file + ": no statement named " + name);
        }
        return statement;
    }

    public Set<String> names() {
        return Collections.unmodifiableSet(statements.keySet());
    }

    private static NamedSql load(String feature) {
        String file = "sql/" + feature + ".sql";
        try (InputStream in = NamedSql.class.getResourceAsStream("/" + file)) {
            if (in == null) {
                throw new IllegalArgumentException("no " + file + " on the classpath");
            }
            return new NamedSql(file, parse(file, new String(in.readAllBytes(), StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** The blocks of a file's text, by name, in file order. */
    static Map<String, Statement> parse(String file, String text) {
        Map<String, Statement> out = new LinkedHashMap<>();
        String[] lines = text.split("\r?\n", -1);
        String name = null;
        int start = 0;
        List<String> body = new ArrayList<>();
        for (int i = 0; i <= lines.length; i++) {
            Matcher m = i < lines.length ? NAME_LINE.matcher(lines[i].strip()) : null;
            if (i == lines.length || m.matches()) {
                if (name != null) {
                    Statement s = Statement.parse(file, start, name, body);
                    if (out.put(name, s) != null) {
                        throw new IllegalArgumentException(file + ":" + start + ": statement " + name + " is named twice");
                    }
                } else if (body.stream().anyMatch(l -> !l.isBlank() && !l.strip().startsWith("--"))) {
                    throw new IllegalArgumentException(file + ": SQL before the first -- name: line");
                }
                if (i < lines.length) {
                    name = m.group(1);
                    start = i + 1;
                    body = new ArrayList<>();
                }
            } else {
                body.add(lines[i]);
            }
        }
        return out;
    }
}
