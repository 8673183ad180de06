package io.surveycast.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.surveycast.user.User;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import org.apache.camel.Exchange;

/**
 * What an API handler reads from a request: query parameters (from the raw query string, never
 * from headers of the same name), path parameters, a JSON body, and who is calling.
 */
final class ApiRequest {
    private final Exchange exchange;
    private final Map<String, String> query = new HashMap<>();

    ApiRequest(Exchange exchange) {
        this.exchange = exchange;
        String raw = exchange.getMessage().getHeader(Exchange.HTTP_QUERY, String.class);
        if (raw != null && !raw.isEmpty()) {
            for (String pair : raw.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                if (query.putIfAbsent(name, value) != null) {
                    throw ApiProblem.badRequest(name + ": given more than once");
                }
            }
        }
    }

    /** A query parameter, null when absent or empty. */
    String query(String name) {
        String value = query.get(name);
        return value == null || value.isBlank() ? null : value.strip();
    }

    boolean flag(String name) {
        String value = query(name);
        if (value == null || value.equals("false")) {
            return false;
        }
        if (value.equals("true")) {
            return true;
        }
        throw ApiProblem.badRequest(name + ": true or false, not " + value);
    }

    int integer(String name, int absent) {
        String value = query(name);
        if (value == null) {
            return absent;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw ApiProblem.badRequest(name + ": not an integer: " + value);
        }
    }

    /** A date (YYYY-MM-DD) parameter. */
    LocalDate date(String name) {
        String value = query(name);
        if (value == null) {
            return null;
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw ApiProblem.badRequest(name + ": not a date (YYYY-MM-DD): " + value);
        }
    }

    /**
     * A period bound: an ISO instant, or a date meaning the start of that UTC day (for {@code to},
     * {@code endOfDay} makes a date inclusive: the start of the next day).
     */
    Instant instant(String name, boolean endOfDay) {
        String value = query(name);
        if (value == null) {
            return null;
        }
        try {
            if (value.length() == 10) {
                LocalDate day = LocalDate.parse(value);
                return (endOfDay ? day.plusDays(1) : day).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            return java.time.OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiProblem.badRequest(name + ": not a date (YYYY-MM-DD) or date-time (2027-01-31T10:00:00Z): " + value);
        }
    }

    String path(String name) {
        return exchange.getMessage().getHeader(name, String.class);
    }

    String body() {
        String body = exchange.getMessage().getBody(String.class);
        return body == null ? "" : body;
    }

    JsonNode json() {
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

    String contentType() {
        String type = exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class);
        if (type == null) {
            return "";
        }
        int semicolon = type.indexOf(';');
        return (semicolon < 0 ? type : type.substring(0, semicolon)).strip().toLowerCase(java.util.Locale.ROOT);
    }

    User user() {
        return exchange.getProperty(ApiAuth.USER, User.class);
    }

    /** The audit log's actor for this caller: {@code api:<user name>}. */
    String actor() {
        return "api:" + user().name();
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest("the query string is not well encoded");
        }
    }
}
