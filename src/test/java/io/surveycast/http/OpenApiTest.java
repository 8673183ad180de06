package io.surveycast.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.surveycast.support.FreshDatabase;
import io.surveycast.user.Role;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import io.surveycast.support.ApiServer;

/** /openapi.json describes what the server does: every documented operation answers as documented, every route is documented. */
class OpenApiTest {
    static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");

    @RegisterExtension
    final FreshDatabase db = new FreshDatabase();
    ApiServer server;
    JsonNode spec;

    @BeforeEach
    void start() throws Exception {
        ApiServer.seed(db.dsl());
        server = new ApiServer(db);
        HttpResponse<String> served = server.call("GET", "/openapi.json", (String) null, null, null);
        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(served.headers().firstValue("Content-Type")).hasValue("application/json");
        spec = ApiServer.body(served);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void everyApiRouteIsDocumentedAndNothingElse() {
        assertThat(spec.get("openapi").asText()).startsWith("3.1");
        Set<String> documented = new TreeSet<>();
        operations().forEach(op -> documented.add(op.method().toUpperCase() + " " + op.path()));
        assertThat(documented).isEqualTo(ApiRolesTest.apiRoutes(server.context()));
    }

    @Test
    void everyDocumentedOperationAnswersWithADocumentedStatusForItsRoleAndRefusesWeakerOnes() throws Exception {
        for (Operation op : operations()) {
            String what = op.method().toUpperCase() + " " + op.path();
            Role role = Role.of(op.node().path("x-role").asText("missing"));
            String path = op.path();
            for (JsonNode parameter : parameters(op)) {
                if (parameter.path("in").asText().equals("path")) {
                    assertThat(parameter.has("example")).as(what + " has an example for " + parameter.get("name")).isTrue();
                    path = path.replace("{" + parameter.get("name").asText() + "}", parameter.get("example").asText());
                }
            }
            String contentType = null;
            String body = null;
            JsonNode content = op.node().path("requestBody").path("content");
            if (!content.isMissingNode()) {
                contentType = content.fieldNames().next();
                JsonNode example = content.get(contentType).get("example");
                assertThat(example).as(what + " has a request example").isNotNull();
                body = example.isTextual() ? example.asText() : example.toString();
            }
            JsonNode responses = op.node().get("responses");
            assertThat(responses.has("401")).as(what + " documents 401").isTrue();

            HttpResponse<String> answer = server.call(op.method().toUpperCase(), path, role, contentType, body);
            assertThat(answer.statusCode()).as(what + " as " + role + ": " + answer.body())
                    .isNotIn(401, 403, 405)
                    .matches(status -> responses.has(Integer.toString(status)), "a documented status of " + responses.fieldNames());
            String expectedType = responses.get(Integer.toString(answer.statusCode())).path("content").fieldNames().hasNext()
                    ? responses.get(Integer.toString(answer.statusCode())).get("content").fieldNames().next() : null;
            if (expectedType == null && responses.get(Integer.toString(answer.statusCode())).has("$ref")) {
                expectedType = "application/problem+json";
            }
            assertThat(answer.headers().firstValue("Content-Type")).as(what).hasValue(expectedType);
            for (Role weaker : Role.values()) {
                if (!weaker.includes(role)) {
                    assertThat(responses.has("403")).as(what + " documents 403").isTrue();
                    assertThat(server.call(op.method().toUpperCase(), path, weaker, contentType, body).statusCode())
                            .as(what + " as " + weaker).isEqualTo(403);
                }
            }
        }
    }

    record Operation(String path, String method, JsonNode node, JsonNode pathItem) {
    }

    List<Operation> operations() {
        List<Operation> all = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = spec.get("paths").fields(); paths.hasNext(); ) {
            var path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                var op = ops.next();
                if (METHODS.contains(op.getKey())) {
                    all.add(new Operation(path.getKey(), op.getKey(), op.getValue(), path.getValue()));
                }
            }
        }
        assertThat(all).isNotEmpty();
        return all;
    }

    static List<JsonNode> parameters(Operation op) {
        List<JsonNode> all = new ArrayList<>();
        op.pathItem().path("parameters").forEach(all::add);
        op.node().path("parameters").forEach(all::add);
        return all;
    }
}
