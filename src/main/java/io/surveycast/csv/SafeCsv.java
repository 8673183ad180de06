package io.surveycast.csv;

import de.siegmar.fastcsv.writer.CsvWriter;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The one CSV writer of every export (the commands' and the dashboard's downloads): a cell starting with {@code =}, {@code +}, {@code -},
 * {@code @}, a tab or a carriage return is written with a leading {@code '}, so a spreadsheet
 * opening the file shows it as text instead of running it as a formula (a survey comment
 * {@code =HYPERLINK(...)} was exported as it was). Numbers the product computes are given as
 * {@link Number}s and written as they are: a negative NPS stays a number.
 */
public final class SafeCsv {
    private final CsvWriter csv;

    public SafeCsv(Writer out) {
        this.csv = CsvWriter.builder().build(out);
    }

    /** One record of text cells, each neutralised. */
    public void text(List<String> cells) {
        csv.writeRecord(cells.stream().map(SafeCsv::neutralised).toList());
    }

    public void text(String... cells) {
        text(Arrays.asList(cells));
    }

    /** One record of values: {@link Number}s as they are, anything else as neutralised text, null as empty. */
    public void values(List<?> values) {
        List<String> cells = new ArrayList<>(values.size());
        for (Object value : values) {
            cells.add(value == null ? "" : value instanceof Number ? value.toString() : neutralised(value.toString()));
        }
        csv.writeRecord(cells);
    }

    public void flush() throws java.io.IOException {
        csv.flush();
    }

    public static String neutralised(String cell) {
        if (cell == null || cell.isEmpty()) {
            return cell == null ? "" : cell;
        }
        return switch (cell.charAt(0)) {
            case '=', '+', '-', '@', '\t', '\r' -> "'" + cell;
            default -> cell;
        };
    }
}
