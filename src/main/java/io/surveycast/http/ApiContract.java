package io.surveycast.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The API as {@code openapi.yaml} (a resource, written by hand) describes it: each operation's
 * path, method, {@code operationId} and {@code x-role}, the least role it needs. The routes under
 * /api are made from it ({@link ContractRoutes}), so the description and the server cannot drift.
 */
public final class ApiContract {
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");

    /** One operation: {@code GET /api/contacts/{external_id}} is {@code getContact}, for ops. */
    public record Operation(String path, String method, String operationId, String role) {
    }

    private final Map<?, ?> tree;
    private final List<Operation> operations;

    private ApiContract(Map<?, ?> tree) {
        this.tree = tree;
        this.operations = operations(tree);
    }

    /** The contract packaged with the application. */
    public static ApiContract load() {
        try (InputStream in = ApiContract.class.getResourceAsStream("/openapi.yaml")) {
            if (in == null) {
                throw new IllegalStateException("openapi.yaml is missing from the classpath");
            }
            return new ApiContract((Map<?, ?>) new Load(LoadSettings.builder().build()).loadFromInputStream(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<Operation> operations() {
        return operations;
    }

    /** The description as JSON, as {@code GET /openapi.json} serves it. */
    String json() {
        try {
            return HttpResponses.JSON.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Operation> operations(Map<?, ?> tree) {
        List<Operation> all = new ArrayList<>();
        ((Map<?, ?>) tree.get("paths")).forEach((path, item) -> ((Map<?, ?>) item).forEach((method, operation) -> {
            if (METHODS.contains(method.toString())) {
                Map<?, ?> op = (Map<?, ?>) operation;
                Object id = op.get("operationId");
                Object role = op.get("x-role");
                if (id == null || role == null) {
                    throw new IllegalStateException("openapi.yaml: " + method + " " + path + " needs an operationId and an x-role");
                }
                all.add(new Operation(path.toString(), method.toString().toUpperCase(java.util.Locale.ROOT), id.toString(),
                        role.toString()));
            }
        }));
        return List.copyOf(all);
    }
}
