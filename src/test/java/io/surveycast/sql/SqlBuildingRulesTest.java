package io.surveycast.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * One way to build SQL (issue 13.2), checked on the main sources: fixed statements are named
 * blocks of {@code src/main/resources/sql/FEATURE.sql} (or jOOQ's DSL), dynamic parts are jOOQ
 * query parts, and rows are read by name. So no SQL text in Java is spliced (concatenated with
 * {@code +}, edited with {@code replace}, {@code formatted} or {@code String.format}, appended
 * piece by piece), no whole statement is written in Java, and no row is read by position.
 */
class SqlBuildingRulesTest {
    private static final Path MAIN = Path.of("src/main/java");
    private static final Path NAMED = Path.of("src/main/resources/sql");

    /** A string literal that looks like SQL (a statement, a clause, a jOOQ template, a bind). */
    private static final Pattern SQL_TEXT = Pattern.compile("(?is)\\bselect\\b.*\\bfrom\\b|\\binsert\\s+into\\b"
            + "|\\bdelete\\s+from\\b|\\bupdate\\s+\\w+\\s+set\\b|\\bcase\\s+when\\b|\\{\\d+}|::[a-z]"
            + "|\\b(and|or|where|join|from|on)\\s+[a-z_]+\\.[a-z_]+\\b|\\s[=<>]=?\\s*\\?|\\bcoalesce\\s*\\(|\\bcast\\s*\\("
            + "|\\bcount\\s*\\(\\*\\)|\\bat\\s+time\\s+zone\\b|\\bgroup\\s+by\\b|\\border\\s+by\\b|\\bfilter\\s*\\(\\s*where\\b");
    /** A literal that is a whole statement: it belongs in a named SQL file (or in jOOQ's DSL). */
    private static final Pattern STATEMENT = Pattern.compile("(?is)^\\s*(select|with|insert|update|delete)\\s.*");
    /** A {@code :name} placeholder, as the spliced templates used. */
    private static final Pattern PLACEHOLDER = Pattern.compile("^:[a-zA-Z_]\\w*$");
    /** Text edited by replace(...) on a constant or on something called sql. */
    private static final Pattern REPLACE_ON_SQL = Pattern.compile("\\b([A-Z][A-Z0-9_]{2,}|\\w*(?i:sql)\\w*)\\s*\\.\\s*replace(All|First)?\\s*\\(");
    /** A row read by column index: r.get(22, ...), fetchOne(0, ...), getValues(0, ...). */
    private static final Pattern BY_POSITION = Pattern.compile(
            "\\.(get|getValue|getValues|fetchOne|fetchOptional|fetch|fetchSingle|into)\\s*\\(\\s*\\d+\\s*,");

    @Test
    void noSqlTextIsSplicedInJava() throws IOException {
        List<String> found = new ArrayList<>();
        for (Path file : javaFiles()) {
            String code = Files.readString(file);
            List<Token> tokens = tokens(code);
            for (int i = 0; i < tokens.size(); i++) {
                Token t = tokens.get(i);
                if (!t.literal()) {
                    continue;
                }
                String why = null;
                String before = i > 0 ? tokens.get(i - 1).text() : "";
                String after = i + 1 < tokens.size() ? tokens.get(i + 1).text() : "";
                String after2 = i + 2 < tokens.size() ? tokens.get(i + 2).text() : "";
                boolean sql = SQL_TEXT.matcher(t.text()).find();
                if (sql && (before.equals("+") || after.equals("+") || before.equals("+="))) {
                    why = "SQL text concatenated with +";
                } else if (sql && after.equals(".") && after2.matches("replace\\w*|formatted|concat|repeat")) {
                    why = "SQL text edited with " + after2 + "(...)";
                } else if (sql && before.equals("(") && i > 1 && tokens.get(i - 2).text().matches("append|format|formatted|replace\\w*")) {
                    why = "SQL text passed to " + tokens.get(i - 2).text() + "(...)";
                } else if (PLACEHOLDER.matcher(t.text()).matches() && before.equals("(") && i > 1
                        && tokens.get(i - 2).text().matches("replace\\w*")) {
                    why = "a placeholder of a SQL text replaced by splicing";
                } else if (STATEMENT.matcher(t.text()).matches() && sql) {
                    why = "a whole statement written in Java: make it a named statement in src/main/resources/sql/";
                }
                if (why != null) {
                    found.add(where(file, t.line()) + ": " + why + ": " + abbreviated(t.text()));
                }
            }
            Matcher replace = REPLACE_ON_SQL.matcher(code);
            while (replace.find()) {
                found.add(where(file, line(code, replace.start())) + ": SQL text edited with replace(...): " + replace.group());
            }
        }
        assertThat(found).as("SQL built by splicing text (issue 13.2: named SQL or jOOQ query parts instead)").isEmpty();
    }

    @Test
    void noRowIsReadByPosition() throws IOException {
        List<String> found = new ArrayList<>();
        for (Path file : javaFiles()) {
            String code = Files.readString(file);
            Matcher m = BY_POSITION.matcher(code);
            while (m.find()) {
                found.add(where(file, line(code, m.start())) + ": " + m.group());
            }
        }
        assertThat(found).as("rows read by column position instead of by name or field").isEmpty();
    }

    @Test
    void everyNamedStatementSaysWhyAndIsUsed() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(NAMED)) {
            files = s.filter(p -> p.toString().endsWith(".sql")).sorted().toList();
        }
        assertThat(files).as("named SQL files in " + NAMED).isNotEmpty();
        StringBuilder java = new StringBuilder();
        for (Path file : javaFiles()) {
            java.append(Files.readString(file));
        }
        List<String> found = new ArrayList<>();
        for (Path file : files) {
            String feature = file.getFileName().toString().replaceFirst("\\.sql$", "");
            NamedSql sql = NamedSql.of(feature);
            for (String name : sql.names()) {
                if (sql.get(name).comment().isBlank()) {
                    found.add(file + ": " + name + ": no comment saying why");
                }
                if (!java.toString().contains("\"" + name + "\"")) {
                    found.add(file + ": " + name + ": not used by any class of src/main/java");
                }
            }
        }
        assertThat(found).isEmpty();
    }

    private static List<Path> javaFiles() throws IOException {
        try (Stream<Path> s = Files.walk(MAIN)) {
            return s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
    }

    private static String where(Path file, int line) {
        return MAIN.relativize(file) + ":" + line;
    }

    private static int line(String code, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (code.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    private static String abbreviated(String text) {
        String one = text.strip().replaceAll("\\s+", " ");
        return one.length() > 70 ? one.substring(0, 70) + "..." : one;
    }

    /** A token of Java code: a string literal or text block (its content), or a word or symbol. */
    record Token(String text, boolean literal, int line) {
    }

    /** The tokens of Java source, comments and char literals left out. */
    static List<Token> tokens(String code) {
        List<Token> out = new ArrayList<>();
        int n = code.length();
        int line = 1;
        int i = 0;
        while (i < n) {
            char c = code.charAt(i);
            if (c == '\n') {
                line++;
                i++;
            } else if (Character.isWhitespace(c)) {
                i++;
            } else if (code.startsWith("//", i)) {
                while (i < n && code.charAt(i) != '\n') {
                    i++;
                }
            } else if (code.startsWith("/*", i)) {
                int end = code.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
                line += count(code, i, end);
                i = end;
            } else if (code.startsWith("\"\"\"", i)) {
                int end = i + 3;
                while (end < n && !code.startsWith("\"\"\"", end)) {
                    end += code.charAt(end) == '\\' ? 2 : 1;
                }
                out.add(new Token(code.substring(i + 3, Math.min(end, n)), true, line));
                line += count(code, i, Math.min(end, n));
                i = Math.min(end + 3, n);
            } else if (c == '"' || c == '\'') {
                int end = i + 1;
                while (end < n && code.charAt(end) != c && code.charAt(end) != '\n') {
                    end += code.charAt(end) == '\\' ? 2 : 1;
                }
                if (c == '"') {
                    out.add(new Token(code.substring(i + 1, Math.min(end, n)), true, line));
                }
                i = Math.min(end + 1, n);
            } else if (Character.isJavaIdentifierStart(c)) {
                int end = i + 1;
                while (end < n && Character.isJavaIdentifierPart(code.charAt(end))) {
                    end++;
                }
                out.add(new Token(code.substring(i, end), false, line));
                i = end;
            } else if (code.startsWith("+=", i)) {
                out.add(new Token("+=", false, line));
                i += 2;
            } else {
                out.add(new Token(String.valueOf(c), false, line));
                i++;
            }
        }
        return out;
    }

    private static int count(String code, int from, int to) {
        int lines = 0;
        for (int i = from; i < to; i++) {
            if (code.charAt(i) == '\n') {
                lines++;
            }
        }
        return lines;
    }
}
