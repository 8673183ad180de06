package io.surveycast.http;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;

/**
 * Requests under /api that no operation took: 405 with {@code Allow} when the contract has the
 * path with other methods, else 404; both as problem details (the HTTP server would answer an
 * HTML page or an empty 405 without the methods).
 */
final class ApiFallback {
    private final Map<Pattern, TreeSet<String>> paths = new LinkedHashMap<>();

    ApiFallback(ApiContract contract) {
        Map<String, TreeSet<String>> byPath = new LinkedHashMap<>();
        for (ApiContract.Operation op : contract.operations()) {
            byPath.computeIfAbsent(op.path(), p -> new TreeSet<>()).add(op.method());
        }
        byPath.forEach((path, methods) -> paths.put(
                Pattern.compile(Pattern.quote(path).replaceAll("\\{[^}/]+}", "\\\\E[^/]+\\\\Q")), methods));
    }

    void answer(Exchange exchange) {
        String path = exchange.getMessage().getHeader(Exchange.HTTP_PATH, String.class);
        String uri = exchange.getMessage().getHeader(Exchange.HTTP_URI, String.class);
        String full = uri != null ? uri.replaceFirst("\\?.*$", "") : "/api" + (path == null ? "" : path);
        TreeSet<String> allowed = new TreeSet<>();
        paths.forEach((pattern, methods) -> {
            if (pattern.matcher(full).matches()) {
                allowed.addAll(methods);
            }
        });
        if (allowed.isEmpty()) {
            throw ApiProblem.notFound("no API resource at " + full + "; see /openapi.json");
        }
        String allow = String.join(", ", allowed);
        throw new ApiProblem(405, "Method Not Allowed", full + " answers " + allow, Map.of()).withHeader("Allow", allow);
    }
}
