package io.surveycast.web;

import com.twilio.security.RequestValidator;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;

/**
 * A webhook request from Twilio: its form parameters, accepted only with a valid
 * {@code X-Twilio-Signature}. The signature is checked with the SDK's {@link RequestValidator}
 * against the URL Twilio was given, built from {@code SURVEYCAST_PUBLIC_URL} and the path (plus
 * the query string, if any), never from the request's Host: behind a proxy or a load balancer the
 * Host we see is not the one Twilio signed.
 */
final class TwilioRequest {
    static final String SIGNATURE = "X-Twilio-Signature";
    private final RequestValidator validator;
    private final String publicUrl;

    /** {@code authToken} null: nothing can be verified, every request is refused. */
    TwilioRequest(String authToken, String publicUrl) {
        this.validator = authToken == null ? null : new RequestValidator(authToken);
        this.publicUrl = publicUrl.replaceAll("/+$", "");
    }

    /** The form parameters of a request signed by Twilio for {@code path}; a 403 {@link ApiProblem} otherwise. */
    Map<String, String> verified(Exchange exchange, String path) {
        Object body = exchange.getMessage().getBody();
        Map<String, String> params = body instanceof Map<?, ?> decoded ? params(decoded)
                : form(exchange.getMessage().getBody(String.class));
        String signature = exchange.getMessage().getHeader(SIGNATURE, String.class);
        String query = exchange.getMessage().getHeader(Exchange.HTTP_RAW_QUERY, String.class); // as Twilio was given it
        String url = publicUrl + path + (query == null || query.isEmpty() ? "" : "?" + query);
        if (validator == null) {
            throw new ApiProblem(403, "Forbidden", "TWILIO_AUTH_TOKEN is not set: Twilio's signature cannot be checked");
        }
        if (signature == null || signature.isBlank() || !validator.validate(url, params, signature)) {
            throw new ApiProblem(403, "Forbidden", SIGNATURE + " is missing or does not match this request");
        }
        return params;
    }

    /**
     * The POST parameters as the HTTP server hands a form post over, already decoded: a map, with a
     * list for a repeated name, of which the first value counts (Twilio repeats none).
     */
    static Map<String, String> params(Map<?, ?> decoded) {
        Map<String, String> params = new LinkedHashMap<>();
        decoded.forEach((name, value) -> {
            Object first = value instanceof java.util.List<?> list ? (list.isEmpty() ? "" : list.get(0)) : value;
            params.put(String.valueOf(name), first == null ? "" : String.valueOf(first));
        });
        return params;
    }

    /** {@code application/x-www-form-urlencoded}, as Twilio posts, when it comes still encoded. */
    static Map<String, String> form(String body) {
        Map<String, String> params = new LinkedHashMap<>();
        if (body == null || body.isEmpty()) {
            return params;
        }
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.putIfAbsent(name, value);
        }
        return params;
    }
}
