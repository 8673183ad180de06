package io.surveycast.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** An {@code application/x-www-form-urlencoded} body as a map (the first value of a repeated field wins). */
public final class FormBody {
    private FormBody() {
    }

    /**
     * The form fields of an HTTP request: Camel's Vert.x platform-http hands a form-encoded body
     * over already parsed, as a map; anything else is parsed here.
     */
    public static Map<String, String> of(org.apache.camel.Message in) {
        Object body = in.getBody();
        if (body instanceof Map<?, ?> map) {
            Map<String, String> fields = new LinkedHashMap<>();
            map.forEach((k, v) -> {
                Object first = v instanceof java.util.List<?> list ? (list.isEmpty() ? null : list.get(0)) : v;
                fields.put(String.valueOf(k), first == null ? "" : String.valueOf(first));
            });
            return fields;
        }
        return parse(in.getBody(String.class));
    }

    public static Map<String, String> parse(String body) {
        Map<String, String> fields = new LinkedHashMap<>();
        if (body == null || body.isEmpty()) {
            return fields;
        }
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            fields.putIfAbsent(name, value);
        }
        return fields;
    }
}
