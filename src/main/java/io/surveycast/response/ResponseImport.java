package io.surveycast.response;

import io.surveycast.config.InvalidInputException;
import io.surveycast.csv.CsvImport;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code responses import FILE.csv}: answers collected elsewhere, one per row, checked row by row
 * like a contacts import. Every error of a bad row is reported as {@code FILE:LINE: COLUMN: reason}
 * and the row left out; the good rows are stored, all in one transaction (a dry run counts and
 * rolls back). A file whose header is wrong (a required column missing, an unknown or repeated
 * column) or that cannot be read as CSV is refused whole.
 */
public final class ResponseImport {
    private final OfflineAnswers answers;

    public ResponseImport(OfflineAnswers answers) {
        this.answers = answers;
    }

    /**
     * @param rejections receives one {@code FILE:LINE: COLUMN: reason} line per error, in line order
     * @throws InvalidInputException when the file as a whole cannot be read; nothing is imported then
     */
    public OfflineAnswers.Summary run(Path file, boolean dryRun, String actor, Consumer<String> rejections) {
        Instant now = answers.clock().instant();
        return CsvImport.inTransaction(answers.dsl(), file, dryRun, tx -> {
            OfflineAnswers.Batch batch = answers.batch(tx, now);
            long[] rejected = {0};
            CsvImport.read(file, (line, names) -> header(file.toString(), line, names), (columns, record) -> {
                long line = record.getStartingLineNumber();
                List<String> cells = record.getFields();
                if (cells.size() != columns.size()) {
                    rejections.accept(file + ":" + line + ": row: expected " + columns.size() + " columns, found " + cells.size());
                    rejected[0]++;
                    return;
                }
                Map<String, String> fields = new HashMap<>();
                for (int i = 0; i < cells.size(); i++) {
                    fields.put(columns.get(i), cells.get(i));
                }
                OfflineAnswers.Stored stored = batch.store(fields);
                stored.problems().forEach(p -> rejections.accept(file + ":" + line + ": " + p.field() + ": " + p.reason()));
                if (!stored.problems().isEmpty()) {
                    rejected[0]++;
                }
            });
            OfflineAnswers.Summary summary = batch.summary(rejected[0]);
            if (!dryRun) {
                answers.audit().record(tx, actor, "responses.import", "response", null, Map.of("file", file.toString(),
                        "imported", summary.imported(), "unchanged", summary.unchanged(), "rejected", rejected[0]));
            }
            return summary;
        });
    }

    /** The header's columns, each a field of {@link OfflineAnswer}, the required ones present. */
    static List<String> header(String file, long line, List<String> names) {
        List<String> columns = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            String name = CsvImport.headerName(names, i);
            String problem = CsvImport.headerProblem(file, line, i, name);
            String column = name.toLowerCase(Locale.ROOT);
            if (problem != null) {
                errors.add(problem);
            } else if (!OfflineAnswer.FIELDS.contains(column)) {
                errors.add(file + ":" + line + ": " + OfflineAnswer.shown(name) + ": unknown column (known: "
                        + String.join(", ", OfflineAnswer.FIELDS) + ")");
            } else if (columns.contains(column)) {
                errors.add(file + ":" + line + ": " + column + ": column appears twice in the header");
            }
            columns.add(column);
        }
        for (String required : OfflineAnswer.FIELDS) {
            if (OfflineAnswer.REQUIRED.contains(required) && !columns.contains(required)) {
                errors.add(file + ":" + line + ": " + required + ": required column is missing from the header");
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return columns;
    }
}
