package io.surveycast.http;

import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/** A page's query string, every value of each name (a filter may repeat a field), decoded as the API decodes it. */
public final class PageQuery {
    private PageQuery() {
    }

    /** @throws IllegalArgumentException for a broken {@code %} escape */
    public static Map<String, List<String>> of(Message in) {
        String raw = in.getHeader(Exchange.HTTP_QUERY, String.class);
        return raw == null || raw.isEmpty() ? Map.of() : Forms.decode(raw);
    }
}
