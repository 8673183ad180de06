package io.surveycast.dashboard;

import io.surveycast.config.InvalidInputException;
import io.surveycast.report.SegmentFilter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The filter of every dashboard page that shows figures: a date range (UTC days, both inclusive,
 * either end open) and a segment ({@code where=attr:NAME=VALUE}, repeatable, as {@code report --where}
 * and {@code GET /api/reports}). It lives in the query string, so a filtered view is a link to bookmark
 * or share; the pages hand it to the report code as a {@link SegmentFilter}, never as SQL text.
 */
public record DashboardFilter(LocalDate from, LocalDate to, List<String> where, SegmentFilter segment) {
    public static final DashboardFilter NONE = new DashboardFilter(null, null, List.of(), SegmentFilter.NONE);
    /** More {@code where} items than any form offers: refused rather than handed to a report. */
    static final int MAX_WHERE = 20;

    public DashboardFilter {
        where = List.copyOf(where);
    }

    /**
     * From a page's query parameters; empty fields are absent.
     *
     * @throws InvalidInputException naming the field ({@code from}, {@code to}, {@code where}) and what is wrong
     */
    public static DashboardFilter of(Map<String, List<String>> query) {
        LocalDate from = date("from", first(query, "from"));
        LocalDate to = date("to", first(query, "to"));
        if (from != null && to != null && to.isBefore(from)) {
            throw new InvalidInputException("to: " + to + " is before from " + from);
        }
        List<String> where = new ArrayList<>();
        for (String item : query.getOrDefault("where", List.of())) {
            if (item != null && !item.isBlank()) {
                where.add(item.strip());
            }
        }
        if (where.size() > MAX_WHERE) {
            throw new InvalidInputException("where: at most " + MAX_WHERE + " segment values, found " + where.size());
        }
        SegmentFilter segment;
        try {
            segment = SegmentFilter.parse(where);
        } catch (InvalidInputException e) {
            throw new InvalidInputException(e.getMessage().replaceFirst("^--where", "where"));
        }
        return new DashboardFilter(from, to, where, segment);
    }

    public boolean isEmpty() {
        return from == null && to == null && where.isEmpty();
    }

    /** The filter as query parameters ({@code from=...&to=...&where=...}), empty for none; to append to a page's link. */
    public String query() {
        List<String> parts = new ArrayList<>();
        if (from != null) {
            parts.add("from=" + from);
        }
        if (to != null) {
            parts.add("to=" + to);
        }
        where.forEach(w -> parts.add("where=" + URLEncoder.encode(w, StandardCharsets.UTF_8)));
        return String.join("&", parts);
    }

    /** What the filter keeps, in words ({@code plan = pro, region = emea}), empty for every contact. */
    public String segmentText() {
        List<String> parts = new ArrayList<>();
        segment.values().forEach((name, values) -> parts.add(name + " = " + String.join(" or ", values.stream().sorted().toList())));
        return String.join(", ", parts);
    }

    private static String first(Map<String, List<String>> query, String name) {
        List<String> values = query.getOrDefault(name, List.of());
        return values.isEmpty() || values.get(0) == null || values.get(0).isBlank() ? null : values.get(0).strip();
    }

    private static LocalDate date(String field, String text) {
        if (text == null) {
            return null;
        }
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw new InvalidInputException(field + ": not a date (YYYY-MM-DD): "
                    + (text.length() > 40 ? text.substring(0, 40) + "..." : text).replaceAll("\\p{Cntrl}", "?"));
        }
    }
}
