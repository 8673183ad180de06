package io.surveycast.response;

import static io.surveycast.db.Tables.CAMPAIGN;
import static io.surveycast.db.Tables.CONTACT;
import static io.surveycast.db.Tables.INVITATION;
import static io.surveycast.db.Tables.RESPONSE;
import static io.surveycast.db.Tables.RESPONSE_SENTIMENT;
import static io.surveycast.db.Tables.RESPONSE_THEME;
import static org.jooq.impl.DSL.field;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.impl.DSL;

/** The SQL of the raw responses export: responses with their invitation, campaign and contact, streamed. */
final class ResponseExportQueries {

    private static List<Condition> where(String campaign, Instant from, Instant to) {
        List<Condition> where = new ArrayList<>();
        if (campaign != null) {
            where.add(CAMPAIGN.KEY.eq(campaign));
        }
        if (from != null) {
            where.add(RESPONSE.RECEIVED_AT.ge(from.atOffset(ZoneOffset.UTC)));
        }
        if (to != null) {
            where.add(RESPONSE.RECEIVED_AT.lt(to.atOffset(ZoneOffset.UTC)));
        }
        return where;
    }

    /** Every contact attribute name among the exported responses, sorted. */
    List<String> attributeNames(DSLContext dsl, String campaign, Instant from, Instant to) {
        var keys = field("jsonb_object_keys({0})", String.class, CONTACT.ATTRIBUTES);
        return dsl.selectDistinct(keys.as("k"))
                .from(RESPONSE)
                .join(INVITATION).on(INVITATION.ID.eq(RESPONSE.INVITATION_ID))
                .join(CAMPAIGN).on(CAMPAIGN.ID.eq(INVITATION.CAMPAIGN_ID))
                .join(CONTACT).on(CONTACT.ID.eq(INVITATION.CONTACT_ID))
                .where(where(campaign, from, to))
                .orderBy(DSL.field(DSL.name("k")))
                .fetch("k", String.class);
    }

    /** The response's theme keys joined by {@code ;} in key order (byte order, whatever the database collation). */
    private static org.jooq.Field<String> themes() {
        return DSL.field(DSL.select(DSL.groupConcat(RESPONSE_THEME.THEME_KEY)
                        .orderBy(RESPONSE_THEME.THEME_KEY.collate(DSL.collation(DSL.name("C")))).separator(";"))
                .from(RESPONSE_THEME).where(RESPONSE_THEME.RESPONSE_ID.eq(RESPONSE.ID)));
    }

    void each(DSLContext dsl, String campaign, Instant from, Instant to, Consumer<Record> row) {
        dsl.connection(connection -> {
            // a cursor needs a transaction in PostgreSQL's driver; autocommit would fetch every row at once
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try (var cursor = DSL.using(connection, dsl.dialect())
                    .select(RESPONSE.ID, RESPONSE.RECEIVED_AT, RESPONSE.UPDATED_AT, RESPONSE.SCORE, RESPONSE.CATEGORY,
                            RESPONSE.COMMENT, RESPONSE.CHANNEL, CAMPAIGN.KEY, INVITATION.CYCLE, INVITATION.CHANNEL,
                            INVITATION.SENT_AT, CONTACT.EXTERNAL_ID, CONTACT.NAME, CONTACT.EMAIL, CONTACT.PHONE,
                            CONTACT.LOCALE, CONTACT.TIMEZONE, themes().as("themes"), RESPONSE_SENTIMENT.SENTIMENT,
                            CONTACT.ATTRIBUTES.cast(String.class).as("attributes"))
                    .from(RESPONSE)
                    .join(INVITATION).on(INVITATION.ID.eq(RESPONSE.INVITATION_ID))
                    .leftJoin(RESPONSE_SENTIMENT).on(RESPONSE_SENTIMENT.RESPONSE_ID.eq(RESPONSE.ID))
                    .join(CAMPAIGN).on(CAMPAIGN.ID.eq(INVITATION.CAMPAIGN_ID))
                    .join(CONTACT).on(CONTACT.ID.eq(INVITATION.CONTACT_ID))
                    .where(where(campaign, from, to))
                    .orderBy(RESPONSE.RECEIVED_AT, RESPONSE.ID)
                    .fetchSize(5000).fetchLazy()) {
                for (Record r : cursor) {
                    row.accept(r);
                }
            } finally {
                connection.commit();
                connection.setAutoCommit(autoCommit);
            }
        });
    }
}
