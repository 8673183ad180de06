package io.surveycast.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.RoutePolicySupport;
import org.junit.jupiter.api.Test;

class GatedHttpServerTest {
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void answers503UntilEveryRouteHasStartedAndAgainWhileStoppingAndRefusesOversizedBodies() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        CountDownLatch routesMayStart = new CountDownLatch(1);
        CountDownLatch routesMayStop = new CountDownLatch(1);
        CamelContext context = new DefaultCamelContext();
        context.addService(new GatedHttpServer("127.0.0.1", port));
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("platform-http:/ping?httpMethodRestrict=GET").routeId("ping").startupOrder(1)
                        .setBody(constant("pong"));
                from("platform-http:/echo?httpMethodRestrict=POST").routeId("echo").startupOrder(3)
                        .process(e -> e.getMessage().setBody(String.valueOf(e.getMessage().getBody(byte[].class).length)));
                // started after /ping and stopped before it: holds the context in Starting, then Stopping
                from("direct:hold").routeId("hold").startupOrder(2)
                        .routePolicy(new RoutePolicySupport() {
                            @Override
                            public void onStart(Route route) {
                                await(routesMayStart);
                            }

                            @Override
                            public void onStop(Route route) {
                                await(routesMayStop);
                            }
                        })
                        .log("held");
            }
        });
        CompletableFuture<Void> starting = CompletableFuture.runAsync(context::start);
        try {
            HttpResponse<String> whileStarting = firstAnswer(port, "/ping");
            assertThat(whileStarting.statusCode()).isEqualTo(503);
            assertThat(whileStarting.headers().firstValue("Retry-After")).contains("1");
            assertThat(whileStarting.body()).contains("starting");
            assertThat(get(port, "/health").statusCode()).as("no 404 for a path whose route is not yet there")
                    .isEqualTo(503);

            routesMayStart.countDown();
            starting.get(30, TimeUnit.SECONDS);
            HttpResponse<String> started = get(port, "/ping");
            assertThat(started.statusCode()).isEqualTo(200);
            assertThat(started.body()).isEqualTo("pong");
            assertThat(get(port, "/nothing-here").statusCode()).isEqualTo(404);
            HttpResponse<String> small = post(port, "/echo", "a".repeat(1000).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertThat(small.statusCode()).isEqualTo(200);
            assertThat(small.body()).isEqualTo("1000");
            assertThat(post(port, "/echo", new byte[(int) GatedHttpServer.MAX_BODY_BYTES + 1]).statusCode())
                    .as("a body over the limit is refused, not read into memory").isEqualTo(413);

            CompletableFuture<Void> stopping = CompletableFuture.runAsync(context::stop);
            HttpResponse<String> whileStopping = null;
            // a request that passed the gate in the instant the stop began may be refused by its
            // route (500): only the gate's own answer ends the wait
            for (int i = 0; i < 200 && (whileStopping == null || whileStopping.statusCode() != 503); i++) {
                whileStopping = get(port, "/ping");
                Thread.sleep(10);
            }
            assertThat(whileStopping.statusCode()).isEqualTo(503);
            assertThat(whileStopping.headers().firstValue("Retry-After")).contains("5");
            assertThat(whileStopping.body()).contains("stopping");
            routesMayStop.countDown();
            stopping.get(30, TimeUnit.SECONDS);
        } finally {
            routesMayStart.countDown();
            routesMayStop.countDown();
            context.stop();
        }
    }

    private HttpResponse<String> firstAnswer(int port, String path) throws Exception {
        for (int i = 0; i < 400; i++) {
            try {
                return get(port, path);
            } catch (IOException notListeningYet) {
                Thread.sleep(25);
            }
        }
        throw new AssertionError("the server never listened on port " + port);
    }

    private HttpResponse<String> post(int port, String path, byte[] body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never released the route");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
