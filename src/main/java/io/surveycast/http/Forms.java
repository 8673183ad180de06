package io.surveycast.http;

import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * {@code name=value&...} text (a query string, a form body) decoded by Netty's decoder, the one
 * under Vert.x: UTF-8, {@code +} as a space, a {@code ;} kept as a character (only {@code &}
 * separates), names in the order they first appear.
 */
final class Forms {
    private Forms() {
    }

    /** Each name's values; an {@link IllegalArgumentException} for a broken {@code %} escape. */
    static Map<String, List<String>> decode(String text) {
        return new QueryStringDecoder(text, StandardCharsets.UTF_8, false, Integer.MAX_VALUE, true).parameters();
    }
}
