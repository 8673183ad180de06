package io.surveycast.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses, before any route sees it, a request whose text cannot be stored: a NUL character,
 * bytes that are not UTF-8 (which covers lone surrogates, as UTF-8 cannot encode them) in the
 * path, the query string or the body, or a JSON string escaping a NUL or a lone surrogate.
 * PostgreSQL refuses NUL in text, so without this check such input reached the database and
 * came back as a 500 with a stack trace in the log. The answer is a 400 problem and one log
 * line, at DEBUG: a client's mistake is not the operator's.
 */
final class TextInputGuard implements Handler<RoutingContext> {
    private static final Logger LOG = LoggerFactory.getLogger(TextInputGuard.class);
    /** Deep enough for any body we take; Jackson's own default is 1000. */
    static final int MAX_JSON_DEPTH = 64;
    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_JSON_DEPTH).build())
            .build();

    @Override
    public void handle(RoutingContext request) {
        String problem = problem(request);
        if (problem == null) {
            request.next();
            return;
        }
        LOG.debug("refused {} {}: {}", request.request().method(), shortPath(request), problem);
        respond(request, 400, "Bad Request", problem);
    }

    /**
     * Answers a request whose body could not be read (over the size limit, a form field over
     * Vert.x's 8 KiB, a form Netty cannot decode) with a 413 or 400 problem: unhandled, such a
     * failure was logged by Vert.x as an error with its stack trace.
     */
    static void failed(RoutingContext request) {
        Throwable failure = request.failure();
        int status = request.statusCode();
        boolean tooLarge = status == 413 || failure != null && String.valueOf(failure.getMessage()).contains("exceed");
        boolean unreadable = failure instanceof IOException || failure instanceof io.netty.handler.codec.DecoderException
                || failure instanceof io.netty.handler.codec.http.multipart.HttpPostRequestDecoder.ErrorDataDecoderException;
        if (!tooLarge && !unreadable && status != 400) {
            request.next();
            return;
        }
        if (request.response().headWritten()) {
            request.response().close();
            return;
        }
        LOG.debug("refused {} {}: body {}", request.request().method(), shortPath(request),
                failure == null ? status : failure.toString());
        respond(request, tooLarge ? 413 : 400, tooLarge ? "Content Too Large" : "Bad Request", tooLarge
                ? "the body, or a form field in it, is too large (a form field at most 8 KiB, a body at most 1 MiB)"
                : "the body cannot be read");
    }

    private static void respond(RoutingContext request, int status, String title, String detail) {
        String json;
        try {
            json = HttpResponses.JSON.writeValueAsString(problem(title, status, detail));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        request.response().setStatusCode(status)
                .putHeader("Content-Type", "application/problem+json")
                .putHeader("Cache-Control", "no-store")
                .end(json);
    }

    private static String problem(RoutingContext request) {
        String path = request.request().path();
        String reason = path == null ? null : percentEncoded(path, false);
        if (reason != null) {
            return "the path " + reason;
        }
        String query = request.request().query();
        reason = query == null ? null : percentEncoded(query, true);
        if (reason != null) {
            return "the query string " + reason;
        }
        Buffer body = request.body() == null ? null : request.body().buffer();
        if (body == null || body.length() == 0) {
            return null;
        }
        String type = String.valueOf(request.request().getHeader("Content-Type")).toLowerCase(Locale.ROOT);
        if (type.startsWith("application/x-www-form-urlencoded")) {
            reason = percentEncoded(body.toString(StandardCharsets.ISO_8859_1), true);
        } else {
            reason = text(body.getBytes());
            if (reason == null && type.contains("json")) {
                reason = json(body.getBytes());
            }
        }
        return reason == null ? null : "the body " + reason;
    }

    /** Why percent-encoded text (a path, query or form) is refused, or null. */
    static String percentEncoded(String raw, boolean form) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length() || Character.digit(raw.charAt(i + 1), 16) < 0
                        || Character.digit(raw.charAt(i + 2), 16) < 0) {
                    return "has a malformed percent escape";
                }
                bytes.write(Character.digit(raw.charAt(i + 1), 16) * 16 + Character.digit(raw.charAt(i + 2), 16));
                i += 2;
            } else if (c == '+' && form) {
                bytes.write(' ');
            } else if (c > 0xff) {
                byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(utf8, 0, utf8.length);
            } else { // raw bytes, read as ISO-8859-1: a raw byte that is not UTF-8 stays one
                bytes.write(c);
            }
        }
        return text(bytes.toByteArray());
    }

    /** Why bytes are refused as text (not UTF-8, or a NUL), or null. */
    static String text(byte[] bytes) {
        for (byte b : bytes) {
            if (b == 0) {
                return "contains a NUL character";
            }
        }
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return null;
        } catch (CharacterCodingException e) {
            return "is not valid UTF-8 text";
        }
    }

    /** Why a JSON body is refused (a string escaping NUL or a lone surrogate; nested too deep), or null. */
    static String json(byte[] bytes) {
        try (JsonParser parser = JSON.createParser(bytes)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if (token == JsonToken.VALUE_STRING || token == JsonToken.FIELD_NAME) {
                    String reason = io.surveycast.config.StorableText.problem(parser.getText());
                    if (reason != null) {
                        return reason;
                    }
                }
            }
            return null;
        } catch (com.fasterxml.jackson.core.exc.StreamConstraintsException e) {
            return "is nested deeper than " + MAX_JSON_DEPTH + " levels";
        } catch (IOException e) {
            return null; // not JSON: the endpoint says so in its own words
        }
    }

    private static String shortPath(RoutingContext request) {
        String path = String.valueOf(request.request().path());
        return path.length() > 100 ? path.substring(0, 100) + "..." : path;
    }

    /** In the order every problem answer has (Map.of would change it from one run to the next). */
    private static java.util.Map<String, Object> problem(String title, int status, String detail) {
        java.util.Map<String, Object> problem = new java.util.LinkedHashMap<>();
        problem.put("title", title);
        problem.put("status", status);
        problem.put("detail", detail);
        return problem;
    }
}
