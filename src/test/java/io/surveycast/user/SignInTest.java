package io.surveycast.user;

import static org.assertj.core.api.Assertions.assertThat;

import io.surveycast.support.FreshDatabase;
import io.surveycast.user.Role;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import io.surveycast.http.TokenBackoff;
import io.surveycast.support.ApiServer;

/**
 * Signing in on a served app with no public URL configured: same-origin posts succeed whatever
 * name the browser used for this machine, other sites are refused, {@code next} stays on this site,
 * and wrong tokens from one address are slowed down.
 */
class SignInTest {
    @RegisterExtension
    final FreshDatabase db = new FreshDatabase();
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).build();

    @Test
    void aSameOriginSignInSucceedsAtLocalhostOr127001AndAnotherSiteIsRefused() throws Exception {
        try (ApiServer server = new ApiServer(db)) {
            String port = server.base.substring(server.base.lastIndexOf(':') + 1);
            String token = server.tokens.get(Role.VIEWER);
            // the request goes to 127.0.0.1:PORT (its Host); the public URL's default is http://localhost:PORT
            for (String origin : new String[] {server.base, "http://localhost:" + port}) {
                HttpResponse<String> signedIn = post(server, "/login", "token=" + token, origin);
                assertThat(signedIn.statusCode()).as(origin + ": " + signedIn.body()).isEqualTo(303);
                assertThat(signedIn.headers().firstValue("Set-Cookie")).isPresent();
            }
            for (String origin : new String[] {"https://evil.example", "http://evil.example:" + port, "http://127.0.0.1:1",
                    "https://127.0.0.1:" + port.replace(port, "443"), "null"}) {
                assertThat(post(server, "/login", "token=" + token, origin).statusCode()).as(origin).isEqualTo(403);
            }
            assertThat(post(server, "/logout", "", "https://evil.example").statusCode()).isEqualTo(403);
            assertThat(post(server, "/logout", "", server.base).statusCode()).isEqualTo(303);
        }
    }

    @Test
    void theOriginCheckFollowsTheHostAskedFor() {
        String ours = "https://nps.example.com";
        assertThat(LoginPage.sameOrigin("https://nps.example.com", "10.0.0.5:8080", ours)).isTrue();
        assertThat(LoginPage.sameOrigin("http://10.0.0.5:8080", "10.0.0.5:8080", ours)).isTrue();
        assertThat(LoginPage.sameOrigin("http://surveys.internal", "surveys.internal", ours)).isTrue();
        assertThat(LoginPage.sameOrigin("http://surveys.internal", "surveys.internal:8080", ours)).isFalse();
        assertThat(LoginPage.sameOrigin("https://evil.example", "10.0.0.5:8080", ours)).isFalse();
        assertThat(LoginPage.sameOrigin("https://evil.example", null, ours)).isFalse();
        assertThat(LoginPage.sameOrigin(null, "10.0.0.5:8080", ours)).as("curl sends no Origin").isTrue();
    }

    @Test
    void nextLeadsOnlyToAPathOfThisSite() throws Exception {
        for (String bad : new String[] {"/\t/evil.example", "/%09/evil.example", "//evil.example", "/\\evil.example",
                "https://evil.example/", "http:/evil.example", "/\n/evil.example", "/\r\n//evil", " //evil.example",
                "/\u00a0/evil", "/\u2028/evil", "/\u200b/evil", "evil.example", "javascript:alert(1)"}) {
            String wanted = bad.equals("/%09/evil.example") ? java.net.URLDecoder.decode(bad, StandardCharsets.UTF_8) : bad;
            assertThat(LoginPage.next(wanted)).as(bad).isEqualTo("/");
        }
        assertThat(LoginPage.next("/responses?category=detractor&q=slow%20support")).isEqualTo(
                "/responses?category=detractor&q=slow%20support");
        assertThat(LoginPage.next("/campaigns/quarterly-nps")).isEqualTo("/campaigns/quarterly-nps");

        try (ApiServer server = new ApiServer(db)) {
            String token = server.tokens.get(Role.VIEWER);
            HttpResponse<String> tab = post(server, "/login", "token=" + token + "&next=%2F%09%2Fevil.example", server.base);
            assertThat(tab.statusCode()).isEqualTo(303);
            assertThat(tab.headers().firstValue("Location")).hasValue("/");
            HttpResponse<String> form = http.send(HttpRequest.newBuilder(URI.create(server.base + "/login?next="
                    + URLEncoder.encode("/\t/evil.example", StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(form.body()).doesNotContain("evil.example");
        }
    }

    @Test
    void repeatedWrongTokensFromOneAddressAreAnswered429AndLoggedOnce() throws Exception {
        var log = new ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>();
        var logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(TokenBackoff.class);
        log.start();
        logger.addAppender(log);
        try (ApiServer server = new ApiServer(db)) {
            String good = server.tokens.get(Role.VIEWER);
            for (int i = 0; i < 30; i++) {
                assertThat(server.get("/api/me", Role.VIEWER).statusCode()).as("a right token is never slowed").isEqualTo(200);
            }
            for (int i = 1; i < TokenBackoff.LIMIT; i++) {
                assertThat(server.call("GET", "/api/me", "sc_wrong" + i, null, null).statusCode()).isEqualTo(401);
            }
            assertThat(post(server, "/login", "token=sc_wrong", server.base).statusCode()).as("the tenth").isEqualTo(401);
            HttpResponse<String> slowed = server.call("GET", "/api/me", "sc_wrong", null, null);
            assertThat(slowed.statusCode()).isEqualTo(429);
            assertThat(slowed.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            long retry = Long.parseLong(slowed.headers().firstValue("Retry-After").orElseThrow());
            assertThat(retry).isBetween(1L, TokenBackoff.FIRST_BLOCK.toSeconds());
            HttpResponse<String> login = post(server, "/login", "token=" + good, server.base);
            assertThat(login.statusCode()).as("while blocked, no token is even checked").isEqualTo(429);
            assertThat(login.headers().firstValue("Retry-After")).isPresent();
            for (int i = 0; i < 50; i++) {
                assertThat(server.call("GET", "/api/me", "sc_wrong", null, null).statusCode()).isEqualTo(429);
            }
            assertThat(log.list).as("one line for the block, none per request").hasSize(1);
            assertThat(log.list.get(0).getFormattedMessage()).contains("127.0.0.1").contains("wrong tokens").contains("30 s");
        } finally {
            logger.detachAppender(log);
        }
    }

    @Test
    void theBlockGrowsAtEachRepeatAndEnds() {
        AtomicLong nanos = new AtomicLong();
        TokenBackoff backoff = new TokenBackoff(nanos::get, TokenBackoff.LIMIT);
        for (int i = 0; i < TokenBackoff.LIMIT - 1; i++) {
            backoff.failed("192.0.2.7", "test");
        }
        assertThat(backoff.blockedFor("192.0.2.7")).isEmpty();
        backoff.failed("192.0.2.7", "test");
        assertThat(backoff.blockedFor("192.0.2.7")).hasValue(30);
        assertThat(backoff.blockedFor("192.0.2.8")).as("another address").isEmpty();
        nanos.addAndGet(Duration.ofSeconds(31).toNanos());
        assertThat(backoff.blockedFor("192.0.2.7")).isEmpty();
        for (int i = 0; i < TokenBackoff.LIMIT; i++) {
            backoff.failed("192.0.2.7", "test");
        }
        assertThat(backoff.blockedFor("192.0.2.7")).hasValue(60);
        for (int round = 0; round < 10; round++) {
            nanos.addAndGet(Duration.ofMinutes(20).toNanos());
            for (int i = 0; i < TokenBackoff.LIMIT; i++) {
                backoff.failed("192.0.2.7", "test");
            }
        }
        assertThat(backoff.blockedFor("192.0.2.7")).hasValue(TokenBackoff.MAX_BLOCK.toSeconds());
        nanos.addAndGet(TokenBackoff.FORGET.plusMinutes(1).toNanos());
        backoff.failed("192.0.2.7", "test");
        assertThat(backoff.blockedFor("192.0.2.7")).as("forgotten after an hour without failures").isEmpty();
    }

    private HttpResponse<String> post(ApiServer server, String path, String form, String origin) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.base + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Origin", origin)
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
