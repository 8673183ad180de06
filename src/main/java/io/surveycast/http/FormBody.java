package io.surveycast.http;

import java.util.LinkedHashMap;
import java.util.Map;

/** An {@code application/x-www-form-urlencoded} body as a map (the first value of a repeated field wins). */
public final class FormBody {
    private FormBody() {
    }

    /**
     * The form fields of an HTTP request: Camel's Vert.x platform-http hands a form-encoded body
     * over already parsed (by Vert.x), as a map; anything else (a form sent with another
     * content type) is decoded here as Vert.x would.
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

    static Map<String, String> parse(String body) {
        Map<String, String> fields = new LinkedHashMap<>();
        if (body == null || body.isEmpty()) {
            return fields;
        }
        Forms.decode(body).forEach((name, values) -> fields.put(name, values.isEmpty() ? "" : values.get(0)));
        return fields;
    }
}
