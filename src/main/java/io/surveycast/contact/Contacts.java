package io.surveycast.contact;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.surveycast.audit.AuditLog;
import io.surveycast.config.InvalidInputException;
import io.surveycast.db.tables.records.ContactRecord;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jooq.DSLContext;
import org.jooq.JSONB;

/**
 * Single contacts as the API sees them: upserts from JSON objects with the CSV import's rules
 * (same field checks and normalisation through {@link ContactFieldParser}; a field left out is
 * left as it is, {@code null} or {@code ""} clears it; an attribute set to {@code null} or
 * {@code ""} is removed), and lookup with suppressions.
 *
 * <p>JSON contact: {@code {"external_id", "email", "phone", "name", "locale", "timezone",
 * "onboarded_at", "renewal_date", "attributes": {NAME: value}}}. A contact must end up with an
 * email or a phone, as in the CSV import. A batch is all-or-nothing: one bad contact and nothing is written.
 */
final class Contacts {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> FIELDS = Set.of("external_id", "email", "phone", "name", "locale", "timezone",
            "onboarded_at", "renewal_date", "attributes");
    public static final int MAX_BATCH = 1000;

    private final DSLContext dsl;
    private final Clock clock;
    private final ContactFieldParser parser;
    private final AuditLog audit;
    private final ContactQueries queries = new ContactQueries();

    /** A suppression of one channel of a contact. */
    public record Suppression(String channel, String reason, Instant at, String source) {
    }

    /** A contact as stored, with its suppressions. */
    public record Contact(String externalId, String email, String phone, String name, String locale, String timezone,
                          Instant onboardedAt, LocalDate renewalDate, Map<String, Object> attributes, Instant createdAt,
                          Instant updatedAt, List<Suppression> suppressions) {
    }

    /** What an upsert did: {@code created}, {@code updated} or {@code unchanged}. */
    public record Upserted(String externalId, String status) {
    }

    /** One refused field: which contact of the request (index in a batch, else null), which field, why. */
    public record Problem(Integer index, String externalId, String field, String reason) {
        String line() {
            return (index == null ? "" : "contacts[" + index + "]: ") + field + ": " + reason;
        }
    }

    /** Refused input: every problem found; nothing was written. */
    public static final class Invalid extends InvalidInputException {
        private final transient List<Problem> problems;

        Invalid(List<Problem> problems) {
            super(problems.stream().map(Problem::line).toList());
            this.problems = List.copyOf(problems);
        }

        public List<Problem> problems() {
            return problems;
        }
    }

    public Contacts(DSLContext dsl, Clock clock, String defaultPhoneRegion) {
        this.dsl = dsl;
        this.clock = clock;
        this.parser = new ContactFieldParser(defaultPhoneRegion);
        this.audit = new AuditLog(clock);
    }

    public Optional<Contact> find(String externalId) {
        return queries.find(dsl, externalId, false).map(r -> view(r, queries.suppressions(dsl, r.getId())));
    }

    /**
     * Creates or updates the contact {@code externalId} from a JSON object.
     * @throws Invalid naming each bad field; nothing is written then
     */
    public Upserted upsert(String externalId, JsonNode body, String actor) {
        if (body == null || !body.isObject()) {
            throw new Invalid(List.of(new Problem(null, externalId, "body", "must be a JSON object")));
        }
        JsonNode inBody = body.get("external_id");
        if (inBody != null && !inBody.isNull() && !externalId.equals(inBody.asText())) {
            throw new Invalid(List.of(new Problem(null, externalId, "external_id",
                    "differs from the one in the path: " + ContactFieldParser.shown(inBody.asText()))));
        }
        return upsertAll(List.of(new Item(null, externalId, body)), actor).get(0);
    }

    /**
     * Creates or updates every contact of a JSON array (each with its {@code external_id}), all or nothing.
     * @throws Invalid naming each bad contact (by index) and field; nothing is written then
     */
    public List<Upserted> upsertBatch(JsonNode array, String actor) {
        if (array == null || !array.isArray()) {
            throw new Invalid(List.of(new Problem(null, null, "body", "must be a JSON array of contacts")));
        }
        if (array.size() > MAX_BATCH) {
            throw new Invalid(List.of(new Problem(null, null, "body",
                    "at most " + MAX_BATCH + " contacts per request, found " + array.size())));
        }
        List<Item> items = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < array.size(); i++) {
            JsonNode each = array.get(i);
            JsonNode id = each.get("external_id");
            if (!each.isObject()) {
                problems.add(new Problem(i, null, "contact", "must be a JSON object"));
            } else if (id == null || !id.isTextual() || id.asText().isBlank()) {
                problems.add(new Problem(i, null, "external_id", "missing"));
            } else if (seen.putIfAbsent(id.asText().strip(), i) != null) {
                problems.add(new Problem(i, id.asText(), "external_id",
                        "duplicate external_id (first at index " + seen.get(id.asText().strip()) + ")"));
            } else {
                items.add(new Item(i, id.asText().strip(), each));
            }
        }
        if (!problems.isEmpty()) {
            throw new Invalid(problems);
        }
        return upsertAll(items, actor);
    }

    private record Item(Integer index, String externalId, JsonNode body) {
    }

    private List<Upserted> upsertAll(List<Item> items, String actor) {
        OffsetDateTime now = clock.instant().atOffset(ZoneOffset.UTC);
        return dsl.transactionResult(configuration -> {
            DSLContext tx = configuration.dsl();
            List<Upserted> done = new ArrayList<>();
            List<Problem> problems = new ArrayList<>();
            Map<String, Integer> counts = new LinkedHashMap<>(Map.of("created", 0, "updated", 0, "unchanged", 0));
            for (Item item : items) {
                try {
                    String status = upsertOne(tx, item, now);
                    done.add(new Upserted(item.externalId(), status));
                    counts.merge(status, 1, Integer::sum);
                } catch (FieldError e) {
                    problems.add(new Problem(item.index(), item.externalId(), e.column(), e.getMessage()));
                }
            }
            if (!problems.isEmpty()) {
                throw new Invalid(problems);
            }
            if (counts.get("created") + counts.get("updated") > 0) {
                Map<String, Object> detail = new LinkedHashMap<>(counts);
                if (items.size() == 1) {
                    detail.put("external_id", items.get(0).externalId());
                }
                audit.record(tx, actor, "contacts.upsert", "contact", items.size() == 1 ? items.get(0).externalId() : null,
                        detail);
            }
            return done;
        });
    }

    private String upsertOne(DSLContext tx, Item item, OffsetDateTime now) throws FieldError {
        JsonNode body = item.body();
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new FieldError(name, "unknown field (contact fields: external_id, email, phone, name, locale, "
                        + "timezone, onboarded_at, renewal_date; other values go under attributes)");
            }
        }
        String externalId = parser.externalId(item.externalId());
        Optional<ContactRecord> existing = queries.find(tx, externalId, true);
        ContactRecord contact = existing.map(r -> r.into(io.surveycast.db.Tables.CONTACT)).orElseGet(() -> {
            ContactRecord r = new ContactRecord();
            r.setExternalId(externalId);
            r.setAttributes(JSONB.valueOf("{}"));
            r.setCreatedAt(now);
            return r;
        });
        if (body.has("email")) {
            contact.setEmail(parser.email(text(body, "email")));
        }
        if (body.has("phone")) {
            String phone = parser.phone(text(body, "phone"));
            contact.setPhone(phone);
            java.util.List<String> zones = parser.phoneZones(phone);
            contact.setPhoneTimezone(zones.size() == 1 ? zones.get(0) : null);
            contact.setPhoneZones(zones.size() < 2 ? null : zones.toArray(String[]::new));
        }
        if (body.has("name")) {
            contact.setName(parser.name(text(body, "name")));
        }
        if (body.has("locale")) {
            contact.setLocale(parser.locale(text(body, "locale")));
        }
        if (body.has("timezone")) {
            contact.setTimezone(parser.timezone(text(body, "timezone")));
        }
        if (body.has("onboarded_at")) {
            String onboarded = text(body, "onboarded_at");
            String[] phoneZones = contact.getPhoneZones();
            contact.setOnboardedAt(parser.onboardedAt(onboarded, contact.getTimezone() != null ? contact.getTimezone()
                    : contact.getPhoneTimezone() != null ? contact.getPhoneTimezone()
                    : phoneZones != null ? phoneZones[0] : null));
            contact.setOnboardedOn(parser.onboardedOn(onboarded));
        }
        if (body.has("renewal_date")) {
            contact.setRenewalDate(parser.renewalDate(text(body, "renewal_date")));
        }
        if (body.has("attributes")) {
            contact.setAttributes(JSONB.valueOf(attributes(contact.getAttributes(), body.get("attributes"))));
        }
        if (contact.getEmail() == null && contact.getPhone() == null) {
            throw new FieldError(body.has("phone") && !body.has("email") ? "phone" : "email",
                    "needs an email or a phone number");
        }
        if (existing.isEmpty()) {
            contact.setUpdatedAt(now);
            if (!queries.insert(tx, contact)) {
                throw new IllegalStateException("contact " + externalId + " was created by another request meanwhile; retry");
            }
            return "created";
        }
        if (same(existing.get(), contact)) {
            return "unchanged";
        }
        contact.setUpdatedAt(now);
        queries.update(tx, contact);
        return "updated";
    }

    private static boolean same(ContactRecord a, ContactRecord b) {
        return Objects.equals(a.getEmail(), b.getEmail()) && Objects.equals(a.getPhone(), b.getPhone())
                && Objects.equals(a.getName(), b.getName()) && Objects.equals(a.getLocale(), b.getLocale())
                && Objects.equals(a.getTimezone(), b.getTimezone())
                && Objects.equals(a.getOnboardedAt() == null ? null : a.getOnboardedAt().toInstant(),
                        b.getOnboardedAt() == null ? null : b.getOnboardedAt().toInstant())
                && Objects.equals(a.getRenewalDate(), b.getRenewalDate())
                && Objects.equals(a.getOnboardedOn(), b.getOnboardedOn())
                && java.util.Arrays.equals(a.getPhoneZones(), b.getPhoneZones())
                && Objects.equals(a.getPhoneTimezone(), b.getPhoneTimezone())
                && readTree(a.getAttributes().data()).equals(readTree(b.getAttributes().data()));
    }

    /** A contact field's value: a string (stripped; empty means none) or null. */
    private static String text(JsonNode body, String field) throws FieldError {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new FieldError(field, "must be a string or null");
        }
        String text = value.asText().strip();
        return text.isEmpty() ? null : text;
    }

    /** The stored attributes merged with those given: a string, number or boolean sets one (as text); null or "" removes it. */
    private static String attributes(JSONB stored, JsonNode given) throws FieldError {
        if (!given.isObject()) {
            throw new FieldError("attributes", "must be a JSON object of names to values");
        }
        ObjectNode merged = (ObjectNode) readTree(stored == null ? "{}" : stored.data());
        for (Iterator<Map.Entry<String, JsonNode>> it = given.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            JsonNode value = entry.getValue();
            if (entry.getKey().isBlank()) {
                throw new FieldError("attributes", "an attribute name is empty");
            }
            String badName = ContactLimits.attributeName(entry.getKey());
            if (badName != null) {
                throw new FieldError("attributes", badName + ": " + ContactFieldParser.shown(entry.getKey()));
            }
            if (value.isNull() || (value.isTextual() && value.asText().isBlank())) {
                merged.remove(entry.getKey());
            } else if (value.isTextual() || value.isNumber() || value.isBoolean()) {
                ContactFieldParser.limit("attributes." + entry.getKey(), value.asText(), ContactLimits.ATTRIBUTE_VALUE);
                merged.put(entry.getKey(), value.asText().strip());
            } else {
                throw new FieldError("attributes." + entry.getKey(), "must be a string, number, boolean or null");
            }
        }
        if (merged.size() > ContactLimits.ATTRIBUTES) {
            throw new FieldError("attributes", "more than " + ContactLimits.ATTRIBUTES + " attributes");
        }
        try {
            return JSON.writeValueAsString(merged);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Contact view(ContactRecord r, List<Suppression> suppressions) {
        @SuppressWarnings("unchecked")
        Map<String, Object> attributes = JSON.convertValue(readTree(r.getAttributes().data()), LinkedHashMap.class);
        return new Contact(r.getExternalId(), r.getEmail(), r.getPhone(), r.getName(), r.getLocale(), r.getTimezone(),
                r.getOnboardedAt() == null ? null : r.getOnboardedAt().toInstant(), r.getRenewalDate(), attributes,
                r.getCreatedAt().toInstant(), r.getUpdatedAt().toInstant(), suppressions);
    }

    private static JsonNode readTree(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
