package io.surveycast.report;

import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import io.surveycast.config.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The table of published NPS benchmarks by industry: the one shipped in
 * {@code benchmarks/nps-industry.csv} (each figure with its source and year), or the file named by
 * {@code SURVEYCAST_BENCHMARKS_FILE}, same columns {@code industry,nps,source,year}; lines starting
 * with {@code #} are comments.
 */
final class Benchmarks {
    static final String SHIPPED = "benchmarks/nps-industry.csv";
    private final Map<String, Benchmark> byIndustry;

    private Benchmarks(Map<String, Benchmark> byIndustry) {
        this.byIndustry = byIndustry;
    }

    public static Benchmarks shipped() {
        try (InputStream in = Benchmarks.class.getResourceAsStream("/" + SHIPPED)) {
            return read(SHIPPED, new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @throws InvalidInputException naming the file, line and field of what is wrong */
    public static Benchmarks of(Path file) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(file.toString(), reader);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(file + ": no such file (SURVEYCAST_BENCHMARKS_FILE)");
        } catch (IOException e) {
            throw new InvalidInputException(file + ": cannot be read: " + e.getMessage());
        }
    }

    /**
     * The benchmark of {@code industry} (case-insensitive).
     * @throws InvalidInputException when the table has no such industry, listing those it has
     */
    public Benchmark industry(String industry) {
        Benchmark b = byIndustry.get(industry.strip().toLowerCase(Locale.ROOT));
        if (b == null) {
            throw new InvalidInputException("SURVEYCAST_INDUSTRY: no benchmark for " + industry + " (known: "
                    + String.join(", ", byIndustry.keySet()) + ")");
        }
        return b;
    }

    private static Benchmarks read(String name, Reader reader) throws IOException {
        Map<String, Benchmark> out = new LinkedHashMap<>();
        List<String> errors = new ArrayList<>();
        boolean header = true;
        try (CsvReader<CsvRecord> csv = CsvReader.builder().commentStrategy(de.siegmar.fastcsv.reader.CommentStrategy.SKIP)
                .skipEmptyLines(true).allowExtraFields(true).allowMissingFields(true).ofCsvRecord(reader)) {
            for (CsvRecord r : csv) {
                long line = r.getStartingLineNumber();
                List<String> f = r.getFields();
                if (header) {
                    header = false;
                    if (!f.stream().map(String::strip).toList().equals(List.of("industry", "nps", "source", "year"))) {
                        errors.add(name + ":" + line + ": header: expected industry,nps,source,year");
                        break;
                    }
                    continue;
                }
                if (f.size() != 4) {
                    errors.add(name + ":" + line + ": row: expected 4 columns, found " + f.size());
                    continue;
                }
                String industry = f.get(0).strip().toLowerCase(Locale.ROOT);
                if (industry.isEmpty()) {
                    errors.add(name + ":" + line + ": industry: missing");
                    continue;
                }
                double nps;
                try {
                    nps = Double.parseDouble(f.get(1).strip());
                } catch (NumberFormatException e) {
                    errors.add(name + ":" + line + ": nps: not a number: " + f.get(1));
                    continue;
                }
                if (!(nps >= -100 && nps <= 100)) {
                    errors.add(name + ":" + line + ": nps: not between -100 and 100: " + f.get(1));
                    continue;
                }
                if (f.get(2).isBlank() || f.get(3).isBlank()) {
                    errors.add(name + ":" + line + ": " + (f.get(2).isBlank() ? "source" : "year")
                            + ": missing (every figure names its source and year)");
                    continue;
                }
                if (out.putIfAbsent(industry, new Benchmark(industry, nps, f.get(2).strip(), f.get(3).strip())) != null) {
                    errors.add(name + ":" + line + ": industry: " + industry + " appears twice");
                }
            }
        } catch (CsvParseException e) {
            errors.add(name + ": " + e.getMessage());
        }
        if (header && errors.isEmpty()) {
            errors.add(name + ":1: header: the file is empty, expected industry,nps,source,year");
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new Benchmarks(out);
    }
}
