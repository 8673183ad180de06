package io.surveycast.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Files the pages load, served from the jar: ours under {@code /assets/} (classpath
 * {@code web-assets/}) and WebJars under {@code /webjars/} (e.g. Chart.js), cached by browsers
 * since a WebJar path carries its version.
 */
public final class StaticAssets {
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._@-]+(/[A-Za-z0-9._@-]+)*");
    private static final Map<String, String> TYPES = Map.of("js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8", "map", "application/json", "svg", "image/svg+xml", "png", "image/png");
    private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

    /** The path of a WebJar's file under /webjars/, with the version found in the jar, e.g. chart.js dist/chart.umd.min.js. */
    public static String webjar(String npmName, String file) {
        try (InputStream in = StaticAssets.class.getResourceAsStream(
                "/META-INF/maven/org.webjars.npm/" + npmName + "/pom.properties")) {
            Properties properties = new Properties();
            if (in == null) {
                throw new IllegalStateException("WebJar " + npmName + " is not on the class path");
            }
            properties.load(in);
            return "/webjars/" + npmName + "/" + properties.getProperty("version") + "/" + file;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public void asset(Exchange exchange) {
        serve(exchange, "/assets/", "web-assets/", false);
    }

    /** {@code /favicon.ico}, which browsers ask for by themselves: our SVG icon (they accept its type). */
    public void favicon(Exchange exchange) {
        serve(exchange, "/assets/", "web-assets/", false, "favicon.svg");
    }

    public void webjar(Exchange exchange) {
        serve(exchange, "/webjars/", "META-INF/resources/webjars/", true);
    }

    private void serve(Exchange exchange, String prefix, String root, boolean immutable) {
        serve(exchange, prefix, root, immutable, null);
    }

    private void serve(Exchange exchange, String prefix, String root, boolean immutable, String fixed) {
        Message in = exchange.getMessage();
        String path = in.getHeader(Exchange.HTTP_PATH, String.class);
        String uri = in.getHeader(Exchange.HTTP_URI, String.class);
        String full = uri != null && uri.startsWith(prefix) ? uri : prefix + (path == null ? "" : path.replaceFirst("^/", ""));
        int query = full.indexOf('?');
        String name = fixed != null ? fixed : (query < 0 ? full : full.substring(0, query)).substring(prefix.length());
        if (!SAFE.matcher(name).matches() || name.contains("..")) {
            Pages.text(exchange, 404, "Not found\n");
            return;
        }
        byte[] body = cache.computeIfAbsent(root + name, StaticAssets::read);
        if (body.length == 0) {
            Pages.text(exchange, 404, "Not found\n");
            return;
        }
        Message out = exchange.getMessage();
        out.removeHeaders("*");
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        out.setHeader(Exchange.CONTENT_TYPE, TYPES.getOrDefault(name.substring(name.lastIndexOf('.') + 1),
                "application/octet-stream"));
        out.setHeader("Cache-Control", immutable ? "public, max-age=31536000, immutable" : "no-cache");
        out.setHeader("X-Content-Type-Options", "nosniff");
        out.setBody(body);
    }

    private static byte[] read(String resource) {
        try (InputStream in = StaticAssets.class.getClassLoader().getResourceAsStream(resource)) {
            return in == null ? new byte[0] : in.readAllBytes();
        } catch (IOException e) {
            return new byte[0];
        }
    }
}
