package io.surveycast.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.surveycast.support.FreshDatabase;
import io.surveycast.user.Role;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import io.surveycast.support.ApiServer;

/** Reports under load: those beyond the limit are turned away at once, and /health stays quick. */
class ReportLoadTest {
    @RegisterExtension
    final FreshDatabase db = new FreshDatabase();

    @Test
    void healthAnswersQuicklyWhileAHundredSlowReportsAreAsked() throws Exception {
        try (var servePool = io.surveycast.config.Database.open(db.settings(), 24); // as serve opens it
             ApiServer server = new ApiServer(db, servePool)) {
            ApiServer.seed(db.dsl());
            assertThat(server.get("/api/reports", Role.VIEWER).statusCode()).isEqualTo(200);
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            List<CompletableFuture<HttpResponse<String>>> reports = new ArrayList<>();
            try (Connection lock = db.database().dataSource().getConnection()) {
                // every report now waits on the roll-ups, as a slow one would
                lock.setAutoCommit(false);
                lock.createStatement().execute("lock table report_day in access exclusive mode");
                for (int i = 0; i < 100; i++) {
                    reports.add(http.sendAsync(HttpRequest.newBuilder(URI.create(server.base + "/api/reports?by=campaign"))
                            .header("Authorization", "Bearer " + server.tokens.get(Role.VIEWER))
                            .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString()));
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (reports.stream().filter(CompletableFuture::isDone).count() < 100 - io.surveycast.report.Reports.DEFAULT_CONCURRENCY
                        && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(reports.stream().filter(CompletableFuture::isDone).count())
                        .as("the reports beyond the limit are answered at once").isEqualTo(100 - io.surveycast.report.Reports.DEFAULT_CONCURRENCY);
                for (var done : reports.stream().filter(CompletableFuture::isDone).toList()) {
                    assertThat(done.get().statusCode()).isEqualTo(503);
                    assertThat(done.get().headers().firstValue("Retry-After")).contains("5");
                    assertThat(done.get().body()).contains("reports are already running");
                }

                long start = System.nanoTime();
                HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(server.base + "/health"))
                        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
                Duration took = Duration.ofNanos(System.nanoTime() - start);

                assertThat(health.statusCode()).isEqualTo(200);
                assertThat(took).as("/health while reports wait").isLessThan(Duration.ofSeconds(1));

                // the dashboard's report pages share the bound: turned away too, not queued
                HttpClient browser = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                        .cookieHandler(new java.net.CookieManager()).followRedirects(HttpClient.Redirect.NEVER).build();
                assertThat(browser.send(HttpRequest.newBuilder(URI.create(server.base + "/login"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("token=" + server.tokens.get(Role.VIEWER)))
                        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                        .isEqualTo(303);
                for (String page : List.of("/", "/campaigns")) {
                    HttpResponse<String> busy = browser.send(HttpRequest.newBuilder(URI.create(server.base + page))
                            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                    assertThat(busy.statusCode()).as(page + " while the report slots are taken").isEqualTo(503);
                    assertThat(busy.headers().firstValue("Retry-After")).contains("5");
                }
                lock.commit();
            }
            CompletableFuture.allOf(reports.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            assertThat(reports.stream().filter(r -> r.join().statusCode() == 200).count())
                    .as("the admitted reports finish once the roll-ups are free").isEqualTo(io.surveycast.report.Reports.DEFAULT_CONCURRENCY);
        }
    }
}
