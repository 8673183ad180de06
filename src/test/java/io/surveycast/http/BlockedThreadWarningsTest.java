package io.surveycast.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.surveycast.support.ApiServer;
import io.surveycast.support.CapturedLog;
import io.surveycast.support.CliRun;
import io.surveycast.support.FreshDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A slow page or report keeps a Vert.x worker busy past its time limit: that is said once per
 * request, not once a second for as long as it runs (592 warnings in one benchmark run); a blocked
 * event loop is still reported, once.
 */
class BlockedThreadWarningsTest {
    @RegisterExtension
    final FreshDatabase db = new FreshDatabase();

    /** Past the event loop's 2 s limit by more than the 1 s between the checker's looks. */
    private static final long BLOCKED_MILLIS = 3_400;

    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void aLongRequestIsReportedOncePerWorkerAndABlockedEventLoopOnce() throws Exception {
        try (CapturedLog log = new CapturedLog();
             ApiServer server = new ApiServer(db, java.util.Map.of("SURVEYCAST_HTTP_WORKER_WARN_AFTER", "PT1S"))) {
            CountDownLatch working = new CountDownLatch(2);
            server.context().addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    // a route runs on a Vert.x worker, as every page and API answer does
                    from("platform-http:/test/slow?httpMethodRestrict=GET").routeId("test-slow")
                            .process(e -> {
                                working.countDown();
                                Thread.sleep(BLOCKED_MILLIS);
                            })
                            .setBody(constant("done"));
                }
            });
            // a handler on an event loop itself (none of ours blocks: this stands for a bug that would)
            VertxPlatformHttpRouter router = server.context().getRegistry().findSingleByType(VertxPlatformHttpRouter.class);
            router.route("/test/block-loop").handler(request -> {
                sleep(BLOCKED_MILLIS);
                request.response().end("done");
            });
            // at once: two workers past their 1 s limit, and an event loop past its 2 s, each for
            // more than a check (every second) beyond that
            var slow1 = get(server, "/test/slow");
            var slow2 = get(server, "/test/slow");
            assertThat(working.await(20, TimeUnit.SECONDS)).isTrue(); // both taken before an event loop stops
            List<CompletableFuture<HttpResponse<String>>> answers = List.of(slow1, slow2, get(server, "/test/block-loop"));
            for (var answer : answers) {
                assertThat(answer.get().statusCode()).isEqualTo(200);
                assertThat(answer.get().body()).isEqualTo("done");
            }
            List<String> workers = blocked(log, "vert.x-worker-thread");
            assertThat(workers).as("one warning per slow request: %s", log.lines()).hasSize(2);
            assertThat(workers).allSatisfy(line -> assertThat(line).startsWith("WARN ").contains("time limit is 1000 ms")
                    .contains("[with ")); // the stack trace, to show where it waits
            assertThat(workers.get(0)).isNotEqualTo(workers.get(1)); // two threads
            assertThat(blocked(log, "vert.x-eventloop-thread")).as("the blocked event loop, once: %s", log.lines())
                    .hasSize(1).allSatisfy(line -> assertThat(line).contains("time limit is 2000 ms"));
        }
    }

    @Test
    void aBadLimitStopsServeBeforeItStarts() throws Exception {
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        var settings = db.settings(java.util.Map.of("SURVEYCAST_HTTP_WORKER_WARN_AFTER", "300",
                "SURVEYCAST_HTTP_HOST", "127.0.0.1", "SURVEYCAST_HTTP_PORT", Integer.toString(port)));
        // a serve that started would run until stopped
        CliRun serve = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> CliRun.run(settings, "serve"));
        assertThat(serve.exitCode()).isEqualTo(2);
        assertThat(serve.err()).isEqualTo("SURVEYCAST_HTTP_WORKER_WARN_AFTER: not an ISO-8601 duration: 300\n");
    }

    private static List<String> blocked(CapturedLog log, String threadName) {
        return log.lines().stream().filter(line -> line.contains(threadName) && line.contains("blocked")).toList();
    }

    private CompletableFuture<HttpResponse<String>> get(ApiServer server, String path) {
        return http.sendAsync(HttpRequest.newBuilder(URI.create(server.base + path)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
