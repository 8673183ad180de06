package io.surveycast.cli;

import io.surveycast.config.InvalidInputException;
import java.util.List;
import picocli.CommandLine.Option;

/** The {@code --format} option the commands share, and the check of one given as text. */
final class Formats {
    enum Format { table, json }

    private Formats() {
    }

    /** {@code --format table|json} of the commands that print a table or JSON. */
    static final class TableOrJson {
        @Option(names = "--format", paramLabel = "table|json", defaultValue = "table", description = "output format")
        Format format;

        boolean json() {
            return format == Format.json;
        }
    }

    /** {@code --format table|json} of the YAML definitions' list commands, which check it themselves. */
    static final class ListFormat {
        @Option(names = "--format", paramLabel = "table|json", defaultValue = "table", description = "output format")
        String format;

        /** True for json, false for table; stops with {@code --format: X: expected table or json} on anything else. */
        boolean json() {
            if (!format.equals("table") && !format.equals("json")) {
                throw new InvalidInputException("--format: " + format + ": expected table or json");
            }
            return format.equals("json");
        }
    }

    /**
     * {@code --format} given as text, checked by the command: stops with
     * {@code --format: expected table or json, got X} unless it is one of {@code allowed}.
     */
    static String require(String format, String... allowed) {
        if (!List.of(allowed).contains(format)) {
            String last = allowed[allowed.length - 1];
            String others = String.join(", ", List.of(allowed).subList(0, allowed.length - 1));
            throw new InvalidInputException("--format: expected " + others + " or " + last + ", got " + format);
        }
        return format;
    }
}
