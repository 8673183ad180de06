package io.surveycast.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.surveycast.support.FreshDatabase;
import io.surveycast.user.Role;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import io.surveycast.support.ApiServer;

/** Every /api route: 401 without a token or with a bad one, 403 for each weaker role, answered for the role it needs. */
class ApiRolesTest {
    /** One call per route, with the least role it needs (the contract of DESIGN.md and the README). */
    record Call(String method, String template, String path, Role needs, String contentType, String body) {
    }

    static final List<Call> CALLS = List.of(
            new Call("GET", "/api/me", "/api/me", Role.VIEWER, null, null),
            new Call("POST", "/api/events", "/api/events", Role.OPS, "application/json",
                    "{\"event_id\":\"e1\",\"external_id\":\"c1\",\"event\":\"signed\",\"occurred_at\":\"2027-01-01T00:00:00Z\"}"),
            new Call("GET", "/api/contacts/{external_id}", "/api/contacts/c1", Role.OPS, null, null),
            new Call("GET", "/api/contacts/{external_id}/history", "/api/contacts/c1/history", Role.OPS, null, null),
            new Call("GET", "/api/accounts/{id}", "/api/accounts/999999", Role.VIEWER, null, null), // the seed has no account
            new Call("PUT", "/api/contacts/{external_id}", "/api/contacts/c9", Role.OPS, "application/json",
                    "{\"email\":\"nine@example.com\"}"),
            new Call("POST", "/api/contacts", "/api/contacts", Role.OPS, "application/json",
                    "[{\"external_id\":\"c8\",\"phone\":\"+33612345678\"}]"),
            new Call("GET", "/api/digests", "/api/digests", Role.VIEWER, null, null),
            new Call("GET", "/api/campaigns", "/api/campaigns", Role.VIEWER, null, null),
            new Call("POST", "/api/campaigns", "/api/campaigns?dry_run=true", Role.OPS, "application/yaml", """
                    key: other
                    name: Other
                    trigger: {type: event, event: signed}
                    channels: [email]
                    question: How likely?
                    templates: {email: nps-invite}
                    """),
            new Call("POST", "/api/campaigns/{key}/pause", "/api/campaigns/welcome/pause", Role.OPS, null, null),
            new Call("POST", "/api/campaigns/{key}/resume", "/api/campaigns/welcome/resume", Role.OPS, null, null),
            new Call("GET", "/api/campaigns/{key}/links", "/api/campaigns/welcome/links", Role.VIEWER, null, null),
            new Call("GET", "/api/reports", "/api/reports?by=campaign", Role.VIEWER, null, null),
            new Call("GET", "/api/responses", "/api/responses?category=detractor", Role.VIEWER, null, null),
            new Call("GET", "/api/cases", "/api/cases?overdue=true", Role.VIEWER, null, null),
            new Call("GET", "/api/cases/report", "/api/cases/report?by=owner", Role.VIEWER, null, null),
            new Call("GET", "/api/cases/{id}", "/api/cases/999999", Role.VIEWER, null, null),
            new Call("PATCH", "/api/cases/{id}", "/api/cases/999999", Role.OPS, "application/json", "{\"status\":\"in_progress\"}"),
            new Call("POST", "/api/cases/{id}/notes", "/api/cases/999999/notes", Role.OPS, "application/json", "{\"text\":\"called\"}"),
            new Call("POST", "/api/responses", "/api/responses", Role.OPS, "application/json",
                    "[{\"external_id\":\"c1\",\"score\":7,\"received_at\":\"2027-01-14T09:00:00Z\",\"campaign\":\"welcome\"}]"),
            new Call("PUT", "/api/responses/{id}/themes", "/api/responses/1/themes", Role.OPS, "application/json",
                    "{\"themes\":[]}"),
            new Call("GET", "/api/messages/failed", "/api/messages/failed", Role.OPS, null, null),
            new Call("POST", "/api/messages/{id}/retry", "/api/messages/999999/retry", Role.OPS, null, null),
            new Call("POST", "/api/messages/retry", "/api/messages/retry", Role.OPS, "application/json", "{\"all\":true}"),
            new Call("GET", "/api/users", "/api/users", Role.ADMIN, null, null),
            new Call("POST", "/api/users", "/api/users", Role.ADMIN, "application/json",
                    "{\"name\":\"bot\",\"role\":\"viewer\"}"),
            // on the user just added: the tokens the calls use stay enabled
            new Call("POST", "/api/users/{name}/disable", "/api/users/bot/disable", Role.ADMIN, null, null),
            new Call("POST", "/api/users/{name}/enable", "/api/users/bot/enable", Role.ADMIN, null, null),
            new Call("POST", "/api/users/{name}/rotate", "/api/users/bot/rotate", Role.ADMIN, null, null));

    @RegisterExtension
    final FreshDatabase db = new FreshDatabase();
    ApiServer server;

    @BeforeEach
    void start() throws Exception {
        ApiServer.seed(db.dsl());
        server = new ApiServer(db, Map.of("SURVEYCAST_TOKEN_FAILURE_LIMIT", "0")); // wrong tokens on every route, on purpose
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void theCallsHereAreEveryApiRouteTheServerHas() {
        Set<String> called = CALLS.stream().map(c -> c.method() + " " + c.template())
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(called).isEqualTo(apiRoutes(server.context()));
    }

    @Test
    void everyRouteRefusesMissingAndBadTokensAndWeakerRolesAndAnswersTheRoleItNeeds() throws Exception {
        for (Call call : CALLS) {
            String what = call.method() + " " + call.path();
            HttpResponse<String> anonymous = server.call(call.method(), call.path(), (String) null, call.contentType(), call.body());
            assertThat(anonymous.statusCode()).as(what + " without a token").isEqualTo(401);
            assertThat(anonymous.headers().firstValue("Content-Type")).as(what).hasValue("application/problem+json");
            assertThat(anonymous.headers().firstValue("WWW-Authenticate")).as(what).isPresent();
            assertThat(ApiServer.body(anonymous).get("status").asInt()).isEqualTo(401);
            assertThat(server.call(call.method(), call.path(), "sc_not-a-real-token", call.contentType(), call.body())
                    .statusCode()).as(what + " with a bad token").isEqualTo(401);
            for (Role weaker : Role.values()) {
                if (!weaker.includes(call.needs())) {
                    HttpResponse<String> denied = server.call(call.method(), call.path(), weaker, call.contentType(), call.body());
                    assertThat(denied.statusCode()).as(what + " as " + weaker).isEqualTo(403);
                    assertThat(ApiServer.body(denied).get("detail").asText()).contains(call.needs().id());
                }
            }
            HttpResponse<String> allowed = server.call(call.method(), call.path(), call.needs(), call.contentType(), call.body());
            assertThat(allowed.statusCode()).as(what + " as " + call.needs() + ": " + allowed.body())
                    .isIn(call.path().contains("999999") ? List.of(404) : List.of(200, 201));
        }
    }

    @Test
    void aDisabledUsersTokenAndSessionStopAtOnceAndARotatedTokenReplacesTheOldOne() throws Exception {
        HttpResponse<String> added = server.json("POST", "/api/users", Role.ADMIN, "{\"name\":\"leaky\",\"role\":\"ops\"}");
        assertThat(added.statusCode()).isEqualTo(201);
        String token = ApiServer.body(added).get("token").asText();
        String session = signIn(token);
        assertThat(me(token).statusCode()).isEqualTo(200);
        assertThat(page(session).statusCode()).as("signed in").isEqualTo(200);

        HttpResponse<String> disabled = server.call("POST", "/api/users/leaky/disable", Role.ADMIN, null, null);
        assertThat(disabled.statusCode()).as(disabled.body()).isEqualTo(200);
        assertThat(ApiServer.body(disabled).get("disabled").asBoolean()).isTrue();
        assertThat(me(token).statusCode()).as("a disabled user's token").isEqualTo(401);
        HttpResponse<String> refused = page(session);
        assertThat(refused.statusCode()).as("a disabled user's session").isEqualTo(303);
        assertThat(refused.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).startsWith("/login"));
        assertThat(server.get("/api/users", Role.ADMIN).body()).contains("\"name\":\"leaky\",\"role\":\"ops\"")
                .containsPattern("\"leaky\"[^}]*\"disabled\":true");

        assertThat(server.call("POST", "/api/users/leaky/enable", Role.ADMIN, null, null).statusCode()).isEqualTo(200);
        assertThat(me(token).statusCode()).as("enabled again").isEqualTo(200);
        assertThat(page(session).statusCode()).as("sessions stay ended: signing in again is needed").isEqualTo(303);

        String again = signIn(token);
        HttpResponse<String> rotated = server.call("POST", "/api/users/leaky/rotate", Role.ADMIN, null, null);
        assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(200);
        String fresh = ApiServer.body(rotated).get("token").asText();
        assertThat(fresh).startsWith("sc_").isNotEqualTo(token);
        assertThat(me(token).statusCode()).as("the old token").isEqualTo(401);
        assertThat(page(again).statusCode()).as("a session opened with the old token").isEqualTo(303);
        HttpResponse<String> who = me(fresh);
        assertThat(who.statusCode()).as("the new token").isEqualTo(200);
        assertThat(ApiServer.body(who).get("name").asText()).isEqualTo("leaky");

        assertThat(server.call("POST", "/api/users/nobody/disable", Role.ADMIN, null, null).statusCode()).isEqualTo(404);
        assertThat(server.call("POST", "/api/users/nobody/rotate", Role.ADMIN, null, null).statusCode()).isEqualTo(404);
    }

    private HttpResponse<String> me(String token) throws Exception {
        return server.call("GET", "/api/me", token, null, null);
    }

    private final java.net.http.HttpClient browser = java.net.http.HttpClient.newBuilder()
            .version(java.net.http.HttpClient.Version.HTTP_1_1).followRedirects(java.net.http.HttpClient.Redirect.NEVER).build();

    /** The session cookie's value after signing in at /login with the token. */
    private String signIn(String token) throws Exception {
        HttpResponse<String> login = browser.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.base + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Origin", server.base)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("token=" + token)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).as(login.body()).isEqualTo(303);
        String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        return cookie.substring(0, cookie.indexOf(';'));
    }

    private HttpResponse<String> page(String cookie) throws Exception {
        return browser.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.base + "/"))
                .header("Cookie", cookie).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void unknownPathsAre404AndOtherMethods405AsProblemDetails() throws Exception {
        HttpResponse<String> unknown = server.call("GET", "/api/nothing/here", Role.ADMIN, null, null);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        HttpResponse<String> delete = server.call("DELETE", "/api/users", Role.ADMIN, null, null);
        assertThat(delete.statusCode()).isEqualTo(405);
        assertThat(delete.headers().firstValue("Allow")).hasValue("GET, POST");
        assertThat(delete.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        HttpResponse<String> patch = server.call("PATCH", "/api/contacts/c1", Role.ADMIN, null, null);
        assertThat(patch.statusCode()).isEqualTo(405);
        assertThat(patch.headers().firstValue("Allow")).hasValue("GET, PUT");
        assertThat(server.call("GET", "/api/messages/retry", Role.ADMIN, null, null).statusCode()).isEqualTo(405);
        assertThat(server.call("GET", "/api/users", Role.ADMIN, null, null).statusCode()).as("still routed").isEqualTo(200);
    }

    /** {@code METHOD /path} of every route the server has under /api. */
    static Set<String> apiRoutes(org.apache.camel.CamelContext context) {
        Set<String> routes = new TreeSet<>();
        for (var route : context.getRoutes()) {
            if (route.getEndpoint() instanceof PlatformHttpEndpoint http && http.getPath().startsWith("/api")
                    && !http.isMatchOnUriPrefix()) {
                assertThat(http.getHttpMethodRestrict()).as(http.getPath() + " restricts its method").isNotBlank();
                for (String method : http.getHttpMethodRestrict().split(",")) {
                    routes.add(method.strip() + " " + http.getPath());
                }
            }
        }
        return routes;
    }
}
