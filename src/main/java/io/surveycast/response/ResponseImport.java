package io.surveycast.response;

import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import io.surveycast.config.InvalidInputException;
import io.surveycast.config.StorableText;
import io.surveycast.config.Transactions;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
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
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException(file + ": no such file");
        }
        Instant now = answers.clock().instant();
        OfflineAnswers.Summary[] result = new OfflineAnswers.Summary[1];
        try {
            Transactions.run(answers.dsl(), dryRun, tx -> {
                OfflineAnswers.Batch batch = answers.batch(tx, now);
                long rejected = read(file, (line, fields) -> {
                    OfflineAnswers.Stored stored = batch.store(fields);
                    stored.problems().forEach(p -> rejections.accept(file + ":" + line + ": " + p.field() + ": " + p.reason()));
                    return stored.problems().isEmpty();
                }, rejections);
                result[0] = batch.summary(rejected);
                if (!dryRun) {
                    answers.audit().record(tx, actor, "responses.import", "response", null, Map.of("file", file.toString(),
                            "imported", result[0].imported(), "unchanged", result[0].unchanged(), "rejected", rejected));
                }
            });
        } catch (RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof InvalidInputException invalid) {
                    throw invalid;
                }
            }
            throw e;
        }
        return result[0];
    }

    /** Takes one row's fields (by column name); true when the row was kept. */
    private interface RowSink {
        boolean accept(long line, Map<String, String> fields);
    }

    /** Reads every row into {@code sink}; returns how many rows were rejected. */
    private static long read(Path file, RowSink sink, Consumer<String> rejections) {
        try (Reader reader = open(file); CsvReader<CsvRecord> csv = csv(reader)) {
            Iterator<CsvRecord> records = csv.iterator();
            if (!records.hasNext()) {
                throw new InvalidInputException(file + ":1: external_id: the file is empty, expected a header row");
            }
            CsvRecord first = records.next();
            List<String> columns = header(file.toString(), first.getStartingLineNumber(), first.getFields());
            long rejected = 0;
            while (records.hasNext()) {
                CsvRecord record = records.next();
                long line = record.getStartingLineNumber();
                List<String> cells = record.getFields();
                if (cells.size() != columns.size()) {
                    rejections.accept(file + ":" + line + ": row: expected " + columns.size() + " columns, found " + cells.size());
                    rejected++;
                    continue;
                }
                Map<String, String> fields = new HashMap<>();
                for (int i = 0; i < cells.size(); i++) {
                    fields.put(columns.get(i), cells.get(i));
                }
                if (!sink.accept(line, fields)) {
                    rejected++;
                }
            }
            return rejected;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (CsvParseException e) {
            var line = java.util.regex.Pattern.compile("line (\\d+)").matcher(String.valueOf(e.getMessage()));
            throw new InvalidInputException(file + ":" + (line.find() ? line.group(1) : "1") + ": row: "
                    + e.getMessage() + "; nothing was imported");
        }
    }

    /** The header's columns, each a field of {@link OfflineAnswer}, the required ones present. */
    static List<String> header(String file, long line, List<String> names) {
        List<String> columns = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i).strip();
            if (i == 0 && name.startsWith("\uFEFF")) {
                name = name.substring(1);
            }
            String bad = name.indexOf('\uFFFD') >= 0 ? "is not valid UTF-8 text" : StorableText.problem(name);
            String column = name.toLowerCase(Locale.ROOT);
            if (bad != null) {
                errors.add(file + ":" + line + ": column " + (i + 1) + ": header " + bad);
            } else if (name.isEmpty()) {
                errors.add(file + ":" + line + ": column " + (i + 1) + ": header is empty");
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

    private static Reader open(Path file) throws IOException {
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        return new InputStreamReader(Files.newInputStream(file), decoder);
    }

    private static CsvReader<CsvRecord> csv(Reader reader) {
        return CsvReader.builder()
                .allowExtraFields(true)
                .allowMissingFields(true)
                .skipEmptyLines(true)
                .allowExtraCharsAfterClosingQuote(true)
                .allowUnclosedQuote(false)
                .ofCsvRecord(reader);
    }
}
