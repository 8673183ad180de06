package io.surveycast.csv;

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
import java.util.Iterator;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jooq.DSLContext;

/**
 * The skeleton the CSV imports (contacts, responses) share: the file must exist, all of it is
 * applied in one transaction (rolled back in a dry run), the first record is the header, a file
 * that cannot be read as CSV is refused whole as {@code FILE:LINE: row: ...}, and bytes that are
 * not UTF-8 become U+FFFD so that the row reports them instead of failing the file.
 */
public final class CsvImport {
    private static final Pattern LINE = Pattern.compile("line (\\d+)");

    private CsvImport() {
    }

    /** Reads a header row: its starting line and its cells. */
    public interface Header<H> {
        H parse(long line, List<String> names);
    }

    /**
     * Runs {@code work} in one transaction, rolled back when {@code dryRun}, and returns what it
     * returns. An {@link InvalidInputException} anywhere in the cause chain is thrown as it is.
     */
    public static <T> T inTransaction(DSLContext dsl, Path file, boolean dryRun, Function<DSLContext, T> work) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException(file + ": no such file");
        }
        Object[] result = new Object[1];
        try {
            Transactions.run(dsl, dryRun, tx -> result[0] = work.apply(tx));
        } catch (RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof InvalidInputException invalid) {
                    throw invalid;
                }
            }
            throw e;
        }
        @SuppressWarnings("unchecked")
        T t = (T) result[0];
        return t;
    }

    /** Reads the header with {@code header}, then every further record into {@code rows}; returns the header. */
    public static <H> H read(Path file, Header<H> header, BiConsumer<H, CsvRecord> rows) {
        try (Reader reader = open(file); CsvReader<CsvRecord> csv = csv(reader)) {
            Iterator<CsvRecord> records = csv.iterator();
            if (!records.hasNext()) {
                throw new InvalidInputException(file + ":1: external_id: the file is empty, expected a header row");
            }
            CsvRecord first = records.next();
            H parsed = header.parse(first.getStartingLineNumber(), first.getFields());
            while (records.hasNext()) {
                rows.accept(parsed, records.next());
            }
            return parsed;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (CsvParseException e) {
            Matcher line = LINE.matcher(String.valueOf(e.getMessage()));
            throw new InvalidInputException(file + ":" + (line.find() ? line.group(1) : "1") + ": row: "
                    + e.getMessage() + "; nothing was imported");
        }
    }

    /** The column name in header cell {@code i}: stripped, a UTF-8 byte-order mark before the first dropped. */
    public static String headerName(List<String> names, int i) {
        String name = names.get(i).strip();
        return i == 0 && name.startsWith("\uFEFF") ? name.substring(1) : name;
    }

    /** Why header cell {@code i} cannot name a column ({@code FILE:LINE: column N: header ...}), or null. */
    public static String headerProblem(String file, long line, int i, String name) {
        String bad = name.isEmpty() ? "is empty"
                : name.indexOf('\uFFFD') >= 0 ? "is not valid UTF-8 text" : StorableText.problem(name);
        return bad == null ? null : file + ":" + line + ": column " + (i + 1) + ": header " + bad;
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
