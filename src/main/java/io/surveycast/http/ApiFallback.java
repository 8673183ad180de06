package io.surveycast.http;

import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;

/**
 * Requests under /api that no route took: 405 with {@code Allow} when the path is served with
 * other methods, else 404; both as problem details (the HTTP server would answer an HTML page or
 * an empty 405 without the methods).
 */
final class ApiFallback {
    private volatile Map<Pattern, TreeSet<String>> routes;

    public void answer(Exchange exchange) {
        String path = exchange.getMessage().getHeader(Exchange.HTTP_PATH, String.class);
        String uri = exchange.getMessage().getHeader(Exchange.HTTP_URI, String.class);
        String full = uri != null ? uri.replaceFirst("\\?.*$", "") : "/api" + (path == null ? "" : path);
        TreeSet<String> allowed = new TreeSet<>();
        routes(exchange.getContext()).forEach((pattern, methods) -> {
            if (pattern.matcher(full).matches()) {
                allowed.addAll(methods);
            }
        });
        if (allowed.isEmpty()) {
            throw ApiProblem.notFound("no API resource at " + full + "; see /openapi.json");
        }
        String allow = String.join(", ", allowed);
        throw new ApiProblem(405, "Method Not Allowed", full + " answers " + allow,
                Map.of()).withHeader("Allow", allow);
    }

    private Map<Pattern, TreeSet<String>> routes(CamelContext context) {
        Map<Pattern, TreeSet<String>> known = routes;
        if (known == null) {
            Map<String, TreeSet<String>> byPath = new TreeMap<>();
            for (var route : context.getRoutes()) {
                if (route.getEndpoint() instanceof PlatformHttpEndpoint http && !http.isMatchOnUriPrefix()
                        && http.getHttpMethodRestrict() != null) {
                    for (String method : http.getHttpMethodRestrict().split(",")) {
                        byPath.computeIfAbsent(http.getPath(), p -> new TreeSet<>()).add(method.strip());
                    }
                }
            }
            known = new java.util.LinkedHashMap<>();
            for (var entry : byPath.entrySet()) {
                String regex = Pattern.quote(entry.getKey()).replaceAll("\\{[^}/]+}", "\\\\E[^/]+\\\\Q");
                known.put(Pattern.compile(regex), entry.getValue());
            }
            routes = known;
        }
        return known;
    }
}
