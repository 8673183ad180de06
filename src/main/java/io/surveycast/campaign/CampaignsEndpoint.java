package io.surveycast.campaign;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Exchange;
import io.surveycast.http.ApiProblem;
import io.surveycast.http.ApiRequest;
import io.surveycast.http.HttpResponses;

/**
 * {@code GET /api/campaigns}, {@code POST /api/campaigns} (a YAML body applied all or nothing, as
 * {@code campaigns apply} does; {@code ?dry_run=true} checks and reports without writing) and
 * {@code POST /api/campaigns/{key}/pause|resume}.
 */
public final class CampaignsEndpoint {
    static final Set<String> YAML_TYPES = Set.of("application/yaml", "text/yaml", "application/x-yaml", "text/x-yaml");
    private final Campaigns campaigns;

    public CampaignsEndpoint(Campaigns campaigns) {
        this.campaigns = campaigns;
    }

    public void list(Exchange exchange) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (CampaignSummary c : campaigns.list()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("key", c.key());
            row.put("name", c.name());
            row.put("status", c.status());
            row.put("trigger", c.trigger());
            row.put("channels", c.channels());
            row.put("priority", c.priority());
            rows.add(row);
        }
        HttpResponses.json(exchange, 200, rows);
    }

    public void apply(Exchange exchange) {
        ApiRequest request = new ApiRequest(exchange);
        if (!YAML_TYPES.contains(request.contentType())) {
            throw new ApiProblem(415, "Unsupported Media Type",
                    "send the campaigns as YAML, with Content-Type: application/yaml (or text/yaml)");
        }
        boolean dryRun = request.flag("dry_run");
        List<YamlBatch.Outcome> outcomes;
        try {
            outcomes = campaigns.apply("body", request.body(), dryRun, request.actor());
        } catch (Campaigns.Invalid e) {
            List<Map<String, Object>> errors = new ArrayList<>();
            for (Campaigns.Problem p : e.problems()) {
                Map<String, Object> error = new LinkedHashMap<>();
                error.put("line", p.line());
                error.put("field", p.field());
                error.put("reason", p.reason());
                errors.add(error);
            }
            throw new ApiProblem(422, "Unprocessable Content", errors.size() == 1
                    ? "line " + errors.get(0).get("line") + ": " + errors.get(0).get("field") + ": " + errors.get(0).get("reason")
                    : errors.size() + " errors; nothing was applied", Map.of("errors", errors));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("dry_run", dryRun);
        body.put("campaigns", outcomes.stream().map(o -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("key", o.key());
            row.put("action", o.action());
            return row;
        }).toList());
        HttpResponses.json(exchange, 200, body);
    }

    public void pause(Exchange exchange) {
        status(exchange, "paused");
    }

    public void resume(Exchange exchange) {
        status(exchange, "active");
    }

    private void status(Exchange exchange, String status) {
        ApiRequest request = new ApiRequest(exchange);
        String key = request.path("key");
        boolean changed;
        try {
            changed = campaigns.setStatus(key, status, request.actor());
        } catch (Campaigns.NoSuchCampaign e) {
            throw ApiProblem.notFound("no campaign with key " + key);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("key", key);
        body.put("status", status);
        body.put("changed", changed);
        HttpResponses.json(exchange, 200, body);
    }
}
