package io.surveycast.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/** A fixed-width table on the command line: a header, then a line per row, each laid out by one format. */
record Table<T>(String line, Function<T, Object[]> cells, Object... header) {

    void print(PrintWriter out, List<T> rows) {
        out.printf(line, header);
        for (T row : rows) {
            out.printf(line, cells.apply(row));
        }
    }

    /** One line of a report table: numbers in the root locale, no trailing blanks. */
    static void row(PrintWriter out, String format, Object... cells) {
        out.println(String.format(Locale.ROOT, format, cells).stripTrailing());
    }

    /** A percentage or median with one decimal, or {@code -} when there is none. */
    static String dash(Double value) {
        return value == null ? "-" : String.format(Locale.ROOT, "%.1f", value);
    }
}
