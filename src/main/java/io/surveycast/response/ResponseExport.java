package io.surveycast.response;

import static io.surveycast.db.Tables.CAMPAIGN;
import static io.surveycast.db.Tables.CONTACT;
import static io.surveycast.db.Tables.INVITATION;
import static io.surveycast.db.Tables.RESPONSE;
import static io.surveycast.db.Tables.RESPONSE_SENTIMENT;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.jooq.DSLContext;

/**
 * Raw responses for analysts: one row per response with its campaign, cycle and contact, then one
 * column per contact attribute (every attribute any exported contact has; an attribute named like
 * a fixed column gets the prefix {@code attr_}). {@code themes} holds the theme keys joined by {@code ;}, in
 * key order, and {@code sentiment} the comment's sentiment. Streamed, so any number of rows fits.
 */
public final class ResponseExport {
    public static final List<String> COLUMNS = List.of("response_id", "received_at", "updated_at", "score", "category",
            "comment", "response_channel", "campaign", "cycle", "invitation_channel", "invited_at", "external_id", "name",
            "email", "phone", "locale", "timezone", "themes", "sentiment");
    private static final ObjectMapper JSON = new ObjectMapper();
    private final DSLContext dsl;
    private final ResponseExportQueries queries = new ResponseExportQueries();

    public ResponseExport(DSLContext dsl) {
        this.dsl = dsl;
    }

    /** Hands over the header, then each row, as text (empty for none). */
    public void export(String campaign, Instant from, Instant to, Consumer<List<String>> out) {
        if (campaign != null && !dsl.fetchExists(CAMPAIGN, CAMPAIGN.KEY.eq(campaign))) {
            throw new io.surveycast.config.InvalidInputException("--campaign: no campaign "
                    + (campaign.length() > 80 ? campaign.substring(0, 80) + "..." : campaign));
        }
        List<String> attributes = queries.attributeNames(dsl, campaign, from, to);
        List<String> header = new ArrayList<>(COLUMNS);
        for (String name : attributes) {
            header.add(COLUMNS.contains(name) ? "attr_" + name : name);
        }
        out.accept(header);
        queries.each(dsl, campaign, from, to, r -> {
            List<String> row = new ArrayList<>(header.size());
            row.add(String.valueOf(r.get(RESPONSE.ID)));
            row.add(time(r.get(RESPONSE.RECEIVED_AT)));
            row.add(time(r.get(RESPONSE.UPDATED_AT)));
            row.add(String.valueOf(r.get(RESPONSE.SCORE)));
            row.add(r.get(RESPONSE.CATEGORY));
            row.add(text(r.get(RESPONSE.COMMENT)));
            row.add(r.get(RESPONSE.CHANNEL));
            row.add(r.get(CAMPAIGN.KEY));
            row.add(r.get(INVITATION.CYCLE));
            row.add(text(r.get(INVITATION.CHANNEL)));
            row.add(time(r.get(INVITATION.SENT_AT)));
            row.add(r.get(CONTACT.EXTERNAL_ID));
            row.add(text(r.get(CONTACT.NAME)));
            row.add(text(r.get(CONTACT.EMAIL)));
            row.add(text(r.get(CONTACT.PHONE)));
            row.add(text(r.get(CONTACT.LOCALE)));
            row.add(text(r.get(CONTACT.TIMEZONE)));
            // keys joined by ';' in key order; both empty while the comment is not tagged (or there is none)
            row.add(text(r.get("themes", String.class)));
            row.add(text(r.get(RESPONSE_SENTIMENT.SENTIMENT)));
            JsonNode values = parse(r.get("attributes", String.class));
            for (String name : attributes) {
                JsonNode v = values.get(name);
                row.add(v == null || v.isNull() ? "" : v.isValueNode() ? v.asText() : v.toString());
            }
            out.accept(row);
        });
    }

    private static String time(OffsetDateTime t) {
        return t == null ? "" : t.toInstant().toString();
    }

    private static String text(String s) {
        return s == null ? "" : s;
    }

    private static JsonNode parse(String json) {
        try {
            return json == null ? JSON.createObjectNode() : JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
