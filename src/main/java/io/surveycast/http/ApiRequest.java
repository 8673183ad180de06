package io.surveycast.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;

/**
 * What an API handler reads from a request: query parameters (from the raw query string as Netty
 * decodes it, never from headers of the same name), path parameters, a JSON body, and who is calling.
 */
public final class ApiRequest {
    /** The exchange property where the {@link ApiGuard} leaves the caller's name for the audit log. */
    public static final String ACTOR = "surveycast.actor";
    private final Exchange exchange;
    private Map<String, String> query;
    private final Map<String, List<String>> lists = new HashMap<>();
    private java.util.Set<String> repeatable = java.util.Set.of();

    public ApiRequest(Exchange exchange) {
        this.exchange = exchange;
    }

    /** Parameters that may be given more than once (read with {@link #queries}); any other twice is a 400. */
    public ApiRequest repeatable(String... names) {
        this.repeatable = java.util.Set.of(names);
        return this;
    }

    /** Every value of a repeatable parameter, in order, empty ones left out. */
    public List<String> queries(String name) {
        query();
        return lists.getOrDefault(name, List.of()).stream().filter(v -> !v.isBlank()).map(String::strip).toList();
    }

    /** Read when first asked: an operation that takes no parameter ignores the query string. */
    private Map<String, String> query() {
        if (query != null) {
            return query;
        }
        query = new HashMap<>();
        String raw = exchange.getMessage().getHeader(Exchange.HTTP_QUERY, String.class);
        if (raw != null && !raw.isEmpty()) {
            Map<String, List<String>> parameters;
            try {
                parameters = Forms.decode(raw);
            } catch (IllegalArgumentException e) {
                throw ApiProblem.badRequest("the query string is not well encoded");
            }
            parameters.forEach((name, values) -> {
                if (repeatable.contains(name)) {
                    lists.put(name, List.copyOf(values));
                    return;
                }
                if (values.size() > 1) {
                    throw ApiProblem.badRequest(name + ": given more than once");
                }
                query.put(name, values.isEmpty() ? "" : values.get(0));
            });
        }
        return query;
    }

    /** A query parameter, null when absent or empty. */
    public String query(String name) {
        String value = query().get(name);
        return value == null || value.isBlank() ? null : value.strip();
    }

    public boolean flag(String name) {
        String value = query(name);
        if (value == null || value.equals("false")) {
            return false;
        }
        if (value.equals("true")) {
            return true;
        }
        throw ApiProblem.badRequest(name + ": true or false, not " + value);
    }

    public int integer(String name, int absent) {
        return parsed(name, absent, Integer::parseInt, "an integer");
    }

    /** A date (YYYY-MM-DD) parameter. */
    public LocalDate date(String name) {
        return parsed(name, null, LocalDate::parse, "a date (YYYY-MM-DD)");
    }

    /**
     * A period bound: an ISO instant, or a date meaning the start of that UTC day (for {@code to},
     * {@code endOfDay} makes a date inclusive: the start of the next day).
     */
    public Instant instant(String name, boolean endOfDay) {
        return parsed(name, null, value -> {
            if (value.length() == 10) {
                LocalDate day = LocalDate.parse(value);
                return (endOfDay ? day.plusDays(1) : day).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            return java.time.OffsetDateTime.parse(value).toInstant();
        }, "a date (YYYY-MM-DD) or date-time (2027-01-31T10:00:00Z)");
    }

    /** A query parameter read by {@code parse}, {@code absent} when not given; a value it cannot read is a 400 saying what was expected. */
    private <T> T parsed(String name, T absent, java.util.function.Function<String, T> parse, String expected) {
        String value = query(name);
        if (value == null) {
            return absent;
        }
        try {
            return parse.apply(value);
        } catch (NumberFormatException | DateTimeParseException e) {
            throw ApiProblem.badRequest(name + ": not " + expected + ": " + value);
        }
    }

    public String path(String name) {
        return exchange.getMessage().getHeader(name, String.class);
    }

    public String body() {
        String body = exchange.getMessage().getBody(String.class);
        return body == null ? "" : body;
    }

    public JsonNode json() {
        try {
            JsonNode node = HttpResponses.JSON.readTree(body());
            if (node == null || node.isMissingNode()) {
                throw ApiProblem.badRequest("the body must be JSON");
            }
            return node;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw ApiProblem.badRequest("the body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    /** The JSON body, which must be an object (a 400 otherwise). */
    public JsonNode jsonObject() {
        JsonNode body = json();
        if (!body.isObject()) {
            throw ApiProblem.badRequest("the body must be a JSON object");
        }
        return body;
    }

    /**
     * A numeric path parameter, such as an id: anything else names nothing that exists, so it is
     * a 404 whose detail is {@code notFound} followed by the value given.
     */
    public long id(String name, String notFound) {
        String text = path(name);
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw ApiProblem.notFound(notFound + text);
        }
    }

    public String contentType() {
        String type = exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class);
        if (type == null) {
            return "";
        }
        int semicolon = type.indexOf(';');
        return (semicolon < 0 ? type : type.substring(0, semicolon)).strip().toLowerCase(java.util.Locale.ROOT);
    }

    /** The audit log's actor for this caller: {@code api:<user name>}. */
    public String actor() {
        return "api:" + exchange.getProperty(ACTOR, String.class);
    }

}
