package io.surveycast.http;

import java.util.Optional;
import org.apache.camel.Message;

/** Reading a cookie from a request's Cookie header (RFC 6265, and RFC 2965 clients that quote values). */
public final class Cookies {
    private Cookies() {
    }

    public static Optional<String> get(Message in, String name) {
        String header = in.getHeader("Cookie", String.class);
        if (header == null) {
            return Optional.empty();
        }
        for (String part : header.split("[;,]")) {
            String[] pair = part.strip().split("=", 2);
            if (pair.length == 2 && pair[0].strip().equals(name)) {
                return Optional.of(pair[1].strip().replaceAll("^\"|\"$", ""));
            }
        }
        return Optional.empty();
    }
}
