package io.surveycast.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** A browser-like client for the dashboard's pages: signed in with a token, redirects not followed. */
public final class PageClient {
    private PageClient() {
    }

    public static HttpClient signedIn(String base, String token) throws Exception {
        HttpClient client = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        assertThat(client.send(post(base + "/login", "token=" + token), HttpResponse.BodyHandlers.ofString()).statusCode())
                .isEqualTo(303);
        return client;
    }

    public static HttpRequest get(String url) {
        return HttpRequest.newBuilder(URI.create(url)).GET().build();
    }

    public static HttpRequest post(String url, String form) {
        return HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
    }
}
