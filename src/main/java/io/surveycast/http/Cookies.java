package io.surveycast.http;

import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import java.util.Optional;
import org.apache.camel.Message;

/**
 * Reading a cookie from a request's Cookie header, with Netty's lax decoder (the one under Vert.x):
 * RFC 6265, and RFC 2965 clients that quote values or separate cookies with commas.
 */
public final class Cookies {
    private Cookies() {
    }

    public static Optional<String> get(Message in, String name) {
        String header = in.getHeader("Cookie", String.class);
        if (header == null) {
            return Optional.empty();
        }
        // RFC 2965 clients separate cookies with commas, which no RFC 6265 value may hold
        for (Cookie cookie : ServerCookieDecoder.LAX.decodeAll(header.replace(',', ';'))) {
            if (cookie.name().equals(name)) {
                return Optional.of(cookie.value().strip());
            }
        }
        return Optional.empty();
    }
}
