package io.surveycast.contact;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import io.surveycast.http.ApiProblem;
import io.surveycast.http.ApiRequest;
import io.surveycast.http.HttpResponses;

/**
 * {@code PUT /api/contacts/{external_id}} (one contact), {@code POST /api/contacts} (a batch, all or
 * nothing) and {@code GET /api/contacts/{external_id}} (with its suppressions). Bad fields are a 422
 * whose {@code errors} name each one, checked as the CSV import checks them.
 */
public final class ContactsEndpoint {
    private final Contacts contacts;

    public ContactsEndpoint(Contacts contacts) {
        this.contacts = contacts;
    }

    public void get(Exchange exchange) {
        String externalId = new ApiRequest(exchange).path("external_id");
        Contacts.Contact c = contacts.find(externalId)
                .orElseThrow(() -> ApiProblem.notFound("no contact with external_id " + externalId));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("external_id", c.externalId());
        body.put("email", c.email());
        body.put("phone", c.phone());
        body.put("name", c.name());
        body.put("locale", c.locale());
        body.put("timezone", c.timezone());
        body.put("onboarded_at", c.onboardedAt() == null ? null : c.onboardedAt().toString());
        body.put("renewal_date", c.renewalDate() == null ? null : c.renewalDate().toString());
        body.put("churned_at", c.churnedAt() == null ? null : c.churnedAt().toString());
        body.put("attributes", c.attributes());
        body.put("created_at", c.createdAt().toString());
        body.put("updated_at", c.updatedAt().toString());
        List<Map<String, Object>> suppressions = new ArrayList<>();
        for (Contacts.Suppression s : c.suppressions()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("channel", s.channel());
            row.put("reason", s.reason());
            row.put("at", s.at().toString());
            row.put("source", s.source());
            suppressions.add(row);
        }
        body.put("suppressions", suppressions);
        HttpResponses.json(exchange, 200, body);
    }

    public void put(Exchange exchange) {
        ApiRequest request = new ApiRequest(exchange);
        Contacts.Upserted done;
        try {
            done = contacts.upsert(request.path("external_id"), request.json(), request.actor());
        } catch (Contacts.Invalid e) {
            throw invalid(e);
        }
        HttpResponses.json(exchange, done.status().equals("created") ? 201 : 200, upserted(done));
    }

    public void post(Exchange exchange) {
        ApiRequest request = new ApiRequest(exchange);
        List<Contacts.Upserted> done;
        try {
            done = contacts.upsertBatch(request.json(), request.actor());
        } catch (Contacts.Invalid e) {
            throw invalid(e);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        for (String status : List.of("created", "updated", "unchanged")) {
            body.put(status, done.stream().filter(u -> u.status().equals(status)).count());
        }
        body.put("contacts", done.stream().map(ContactsEndpoint::upserted).toList());
        HttpResponses.json(exchange, 200, body);
    }

    private static Map<String, Object> upserted(Contacts.Upserted done) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("external_id", done.externalId());
        body.put("status", done.status());
        return body;
    }

    private static ApiProblem invalid(Contacts.Invalid e) {
        return ApiProblem.invalidFields(e.getMessage(), e.problems().stream()
                .map(p -> ApiProblem.fieldError(p.index(), p.externalId(), p.field(), p.reason())).toList());
    }
}
