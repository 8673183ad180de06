package io.surveycast.share;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.surveycast.support.CliRun;
import io.surveycast.support.FreshDatabase;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code shares create|list|revoke}: the URL once, a list that never shows a whole token, revocation and expiry. */
class SharesCommandTest {
    static final String BASE = "https://nps.acme.example";

    @RegisterExtension
    final FreshDatabase db = new FreshDatabase(Map.of("SURVEYCAST_PUBLIC_URL", BASE));

    @Test
    void createListAsJsonRevokeAndExpire() throws Exception {
        CliRun created = at("2027-03-10T12:00:00Z", "shares", "create", "--expires", "P30D");
        assertThat(created.exitCode()).as(created.err()).isZero();
        assertThat(created.outLines()).hasSize(1);
        String url = created.outLines().get(0);
        assertThat(url).matches("https://nps\\.acme\\.example/share/wall_[A-Za-z0-9_-]{43}");
        assertThat(created.err()).contains("created share 1 (until 2027-04-09T12:00:00Z)");
        String token = url.substring(url.lastIndexOf('/') + 1);
        assertThat(db.dsl().fetchValue("select count(*) from wall_share where token_hash = '" + token + "' or hint = '" + token + "'"))
                .as("the token itself is not stored").isEqualTo(0L);
        CliRun forever = at("2027-03-10T12:00:00Z", "shares", "create");
        assertThat(forever.exitCode()).isZero();

        CliRun list = at("2027-03-11T00:00:00Z", "shares", "list", "--format", "json");
        assertThat(list.exitCode()).as(list.err()).isZero();
        JsonNode rows = new ObjectMapper().readTree(list.out());
        assertThat(rows).hasSize(2);
        JsonNode first = rows.get(0);
        assertThat(first.get("id").asLong()).isEqualTo(1);
        assertThat(first.get("created_at").asText()).isEqualTo("2027-03-10T12:00:00Z");
        assertThat(first.get("expires_at").asText()).isEqualTo("2027-04-09T12:00:00Z");
        assertThat(first.get("url").asText()).startsWith(BASE + "/share/" + token.substring(0, 11)).endsWith("\u2026")
                .doesNotContain(token);
        assertThat(rows.get(1).get("expires_at").isNull()).as("until revoked").isTrue();
        assertThat(new java.util.TreeSet<>(iterable(first))).containsExactly("created_at", "expires_at", "id", "url");
        assertThat(at("2027-03-11T00:00:00Z", "shares", "list").out()).contains("ID").contains(token.substring(0, 11));

        assertThat(at("2027-04-09T12:00:01Z", "shares", "list", "--format", "json").out())
                .as("expired: no longer listed").doesNotContain("\"id\" : 1,");

        CliRun revoked = at("2027-03-11T00:00:00Z", "shares", "revoke", "2");
        assertThat(revoked.exitCode()).isZero();
        assertThat(revoked.err()).contains("revoked share 2");
        assertThat(at("2027-03-11T00:00:00Z", "shares", "revoke", "2").err()).contains("share 2 was already revoked");
        assertThat(new ObjectMapper().readTree(at("2027-03-11T00:00:00Z", "shares", "list", "--format", "json").out()))
                .hasSize(1);

        CliRun unknown = at("2027-03-11T00:00:00Z", "shares", "revoke", "99");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("ID: no share 99");
        CliRun bad = at("2027-03-11T00:00:00Z", "shares", "create", "--expires", "30 days");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("--expires: expected a duration such as P30D");
        assertThat(at("2027-03-11T00:00:00Z", "shares", "create", "--expires", "-P1D").exitCode()).isEqualTo(2);
        assertThat(at("2027-03-11T00:00:00Z", "shares", "list", "--format", "xml").exitCode()).isEqualTo(2);
    }

    private CliRun at(String instant, String... args) {
        Instant.parse(instant);
        return CliRun.run(db.settings(Map.of("SURVEYCAST_CLOCK", "fixed:" + instant)), args);
    }

    private static java.util.List<String> iterable(JsonNode node) {
        java.util.List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
