package io.surveycast.dashboard;

import io.surveycast.config.InvalidInputException;
import io.surveycast.csv.SafeCsv;
import io.surveycast.http.PageQuery;
import io.surveycast.http.Pages;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.camel.Exchange;

/**
 * The filter form every figure page shows ({@code templates/web/filters.ftl}): its model, reading
 * the filter from the query string, and the CSV downloads beside the tables ({@code download=TABLE},
 * same filter, written by {@link SafeCsv}).
 */
public final class FilterPages {
    private FilterPages() {
    }

    /** The query parameters of a page request; a broken {@code %} escape is an {@link InvalidInputException}. */
    public static Map<String, List<String>> query(Exchange exchange) {
        try {
            return PageQuery.of(exchange.getMessage());
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("the query string is not well encoded");
        }
    }

    /** The first value of a query parameter, null when absent or blank. */
    public static String param(Map<String, List<String>> query, String name) {
        List<String> values = query.getOrDefault(name, List.of());
        return values.isEmpty() || values.get(0) == null || values.get(0).isBlank() ? null : values.get(0).strip();
    }

    /**
     * The model of filters.ftl: {@code filter} (from, to, query, segment in words) and {@code segments}
     * (each attribute with its values as options, the filter's own values among them even when they
     * are not among the most common).
     *
     * @param path the page's path, which the form submits to and the download links start with
     */
    public static Map<String, Object> model(String path, DashboardFilter filter, Map<String, List<String>> choices) {
        return model(path, filter, choices, Map.of());
    }

    /** @param extra the page's own fields (a breakdown), kept in the form and its links */
    public static Map<String, Object> model(String path, DashboardFilter filter, Map<String, List<String>> choices,
                                            Map<String, String> extra) {
        Map<String, Object> f = new HashMap<>();
        f.put("path", path);
        f.put("from", filter.from() == null ? "" : filter.from().toString());
        f.put("to", filter.to() == null ? "" : filter.to().toString());
        List<String> query = new ArrayList<>();
        List<Map<String, String>> hidden = new ArrayList<>();
        extra.forEach((name, value) -> {
            query.add(name + "=" + java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8));
            hidden.add(Map.of("name", name, "value", value));
        });
        if (!filter.query().isEmpty()) {
            query.add(filter.query());
        }
        f.put("query", String.join("&", query));
        f.put("hidden", hidden);
        f.put("segment", filter.segmentText());
        f.put("active", !filter.isEmpty());
        Map<String, List<String>> offered = new LinkedHashMap<>();
        choices.forEach((name, values) -> offered.put(name, new ArrayList<>(values)));
        filter.segment().values().forEach((name, values) -> values.stream().sorted().forEach(v -> {
            List<String> list = offered.computeIfAbsent(name, k -> new ArrayList<>());
            if (!list.contains(v)) {
                list.add(v);
            }
        }));
        List<Map<String, Object>> segments = new ArrayList<>();
        offered.forEach((name, values) -> segments.add(Map.of("name", name, "options", values.stream().map(v -> {
            String item = "attr:" + name + "=" + v;
            return Map.<String, Object>of("value", item, "label", v, "selected", filter.where().contains(item));
        }).toList())));
        Map<String, Object> model = new HashMap<>();
        model.put("filter", f);
        model.put("segments", segments);
        return model;
    }

    /** Answers the request with a CSV file written by {@code rows}. */
    public static void download(Exchange exchange, String filename, Consumer<SafeCsv> rows) {
        StringWriter text = new StringWriter();
        SafeCsv csv = new SafeCsv(text);
        rows.accept(csv);
        try {
            csv.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Pages.csv(exchange, filename, text.toString());
    }
}
