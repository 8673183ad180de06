package io.surveycast.support;

import static io.surveycast.db.Tables.CAMPAIGN;
import static io.surveycast.db.Tables.CONTACT;
import static io.surveycast.db.Tables.INVITATION;
import static io.surveycast.db.Tables.MESSAGE;
import static io.surveycast.db.Tables.RESPONSE;
import static io.surveycast.db.Tables.SUPPRESSION;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.surveycast.App;
import io.surveycast.user.Role;
import io.surveycast.user.Users;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.Map;
import org.apache.camel.main.Main;
import org.jooq.DSLContext;

/** A served app on a fresh database with one user per role, and plain HTTP calls to it. */
public final class ApiServer implements AutoCloseable {
    public static final Clock CLOCK = Clock.fixed(Instant.parse("2027-01-15T00:00:00Z"), ZoneOffset.UTC);
    public static final ObjectMapper JSON = new ObjectMapper();
    public final FreshDatabase db;
    public final String base;
    public final Map<Role, String> tokens = new EnumMap<>(Role.class);
    // HTTP/1.1: Java's client otherwise tries an h2c upgrade, with which the server once left a
    // request unanswered and the build hanging; and a timeout, so a lost answer fails the test
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final Main camel;

    public ApiServer(FreshDatabase db) throws Exception {
        this(db, db.database(), Map.of());
    }

    /** With more settings, e.g. SURVEYCAST_TOKEN_FAILURE_LIMIT=0 for a test that sends wrong tokens on purpose. */
    public ApiServer(FreshDatabase db, Map<String, String> more) throws Exception {
        this(db, db.database(), more);
    }

    /** Served on {@code database}, e.g. with a pool as large as {@code serve}'s. */
    public ApiServer(FreshDatabase db, io.surveycast.config.Database database) throws Exception {
        this(db, database, Map.of());
    }

    /** Served on {@code database} with more settings. */
    public ApiServer(FreshDatabase db, io.surveycast.config.Database database, Map<String, String> more) throws Exception {
        this.db = db;
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        base = "http://127.0.0.1:" + port;
        Users users = new Users(db.dsl(), CLOCK);
        for (Role role : Role.values()) {
            tokens.put(role, users.add(role.id() + "-user", role, "test").token());
        }
        Map<String, String> env = new java.util.HashMap<>(Map.of("SURVEYCAST_HTTP_PORT", Integer.toString(port),
                "SURVEYCAST_HTTP_HOST", "127.0.0.1", "SURVEYCAST_DUE_SCAN_INTERVAL", "PT1H",
                "SURVEYCAST_DISPATCH_INTERVAL", "3600000"));
        env.putAll(more);
        camel = App.camel(db.settings(env), database, CLOCK);
        camel.start();
    }

    public org.apache.camel.CamelContext context() {
        return camel.getCamelContext();
    }

    public HttpResponse<String> call(String method, String path, Role role, String contentType, String body) throws Exception {
        return call(method, path, role == null ? null : tokens.get(role), contentType, body);
    }

    public HttpResponse<String> call(String method, String path, String token, String contentType, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(java.time.Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> get(String path, Role role) throws Exception {
        return call("GET", path, role, null, null);
    }

    public HttpResponse<String> json(String method, String path, Role role, String body) throws Exception {
        return call(method, path, role, "application/json", body);
    }

    public static JsonNode body(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    @Override
    public void close() {
        camel.stop();
    }

    /**
     * Contacts c1 (Ann), c2 (Bob), c3 (Cy, email suppressed); campaigns welcome and renewal (event triggers,
     * so nothing is planned by itself); answers with comments; one failed message.
     */
    public static void seed(DSLContext dsl) {
        Fixtures.contacts(dsl, CLOCK, """
                external_id,email,name,plan
                c1,ann@example.com,Ann,pro
                c2,bob@example.com,Bob,free
                c3,cy@example.com,Cy,pro
                """);
        for (String key : new String[] {"welcome", "renewal"}) {
            Fixtures.campaign(dsl, CLOCK, """
                    key: %s
                    name: %s
                    trigger: {type: event, event: signed}
                    channels: [email]
                    question: How likely?
                    templates: {email: nps-invite}
                    """.formatted(key, key));
        }
        dsl.insertInto(SUPPRESSION).set(SUPPRESSION.CONTACT_ID, contact(dsl, "c3")).set(SUPPRESSION.CHANNEL, "email")
                .set(SUPPRESSION.REASON, "unsubscribed").set(SUPPRESSION.AT, OffsetDateTime.parse("2026-12-01T10:00:00Z"))
                .set(SUPPRESSION.SOURCE, "link").execute();
        answer(dsl, "welcome", "c1", 10, "Great SUPPORT team", "2026-11-02T10:00:00Z");
        answer(dsl, "welcome", "c2", 3, "support was slow, 100% annoying", "2026-11-05T10:00:00Z");
        answer(dsl, "welcome", "c3", 8, null, "2026-12-10T10:00:00Z");
        answer(dsl, "renewal", "c1", 0, "Too expensive", "2026-12-20T10:00:00Z");
        answer(dsl, "renewal", "c2", 9, "lovely product; support fine", "2027-01-03T10:00:00Z");
        long failed = invitation(dsl, "renewal", "c3", "failed", "2027-01-04T10:00:00Z");
        dsl.insertInto(MESSAGE).set(MESSAGE.INVITATION_ID, failed).set(MESSAGE.CONTACT_ID, contact(dsl, "c3"))
                .set(MESSAGE.KIND, "invite").set(MESSAGE.CHANNEL, "email").set(MESSAGE.STATUS, "failed")
                .set(MESSAGE.NOT_BEFORE, OffsetDateTime.parse("2027-01-04T10:00:00Z")).set(MESSAGE.ATTEMPTS, 8)
                .set(MESSAGE.LAST_ERROR, "SMTP 451 try later")
                .set(MESSAGE.CREATED_AT, OffsetDateTime.parse("2027-01-04T10:00:00Z"))
                .set(MESSAGE.UPDATED_AT, OffsetDateTime.parse("2027-01-05T10:00:00Z")).execute();
    }

    public static long contact(DSLContext dsl, String externalId) {
        return dsl.select(CONTACT.ID).from(CONTACT).where(CONTACT.EXTERNAL_ID.eq(externalId)).fetchSingle().value1();
    }

    public static long invitation(DSLContext dsl, String campaign, String externalId, String status, String sentAt) {
        OffsetDateTime at = OffsetDateTime.parse(sentAt);
        long campaignId = dsl.select(CAMPAIGN.ID).from(CAMPAIGN).where(CAMPAIGN.KEY.eq(campaign)).fetchSingle().value1();
        return dsl.insertInto(INVITATION).set(INVITATION.CAMPAIGN_ID, campaignId)
                .set(INVITATION.CONTACT_ID, contact(dsl, externalId)).set(INVITATION.CYCLE, "event:" + campaign + externalId)
                .set(INVITATION.CHANNEL, "email").set(INVITATION.STATUS, status).set(INVITATION.TRIGGER_AT, at)
                .set(INVITATION.PLANNED_AT, at).set(INVITATION.INVITE_AT, at).set(INVITATION.SENT_AT, at)
                .returning(INVITATION.ID).fetchOne(INVITATION.ID);
    }

    public static void answer(DSLContext dsl, String campaign, String externalId, int score, String comment, String receivedAt) {
        OffsetDateTime at = OffsetDateTime.parse(receivedAt);
        long invitation = invitation(dsl, campaign, externalId, "responded", at.minusHours(5).toString());
        dsl.insertInto(RESPONSE).set(RESPONSE.INVITATION_ID, invitation).set(RESPONSE.SCORE, (short) score)
                .set(RESPONSE.COMMENT, comment).set(RESPONSE.CHANNEL, "email").set(RESPONSE.RECEIVED_AT, at)
                .set(RESPONSE.UPDATED_AT, at).execute();
    }
}
