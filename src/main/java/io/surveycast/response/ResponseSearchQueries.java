package io.surveycast.response;

import static io.surveycast.db.Tables.CAMPAIGN;
import static io.surveycast.db.Tables.CONTACT;
import static io.surveycast.db.Tables.INVITATION;
import static io.surveycast.db.Tables.RESPONSE;
import static io.surveycast.db.Tables.RESPONSE_SENTIMENT;
import static io.surveycast.db.Tables.RESPONSE_THEME;
import static io.surveycast.db.Tables.THEME;
import static org.jooq.impl.DSL.row;

import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.impl.DSL;

/** The SQL of the response list: filters (theme and sentiment too), comment search, newest first with a keyset cursor. */
final class ResponseSearchQueries {

    List<ResponseSearch.Item> page(DSLContext dsl, ResponseSearch.Filter filter, ResponseSearch.Cursor after, int limit) {
        List<Condition> where = new ArrayList<>();
        if (filter.category() != null) {
            where.add(RESPONSE.CATEGORY.eq(filter.category()));
        }
        if (filter.campaign() != null) {
            where.add(CAMPAIGN.KEY.eq(filter.campaign()));
        }
        if (filter.from() != null) {
            where.add(RESPONSE.RECEIVED_AT.ge(filter.from().atOffset(ZoneOffset.UTC)));
        }
        if (filter.to() != null) {
            where.add(RESPONSE.RECEIVED_AT.lt(filter.to().atOffset(ZoneOffset.UTC)));
        }
        if (filter.text() != null) {
            where.add(RESPONSE.COMMENT.likeIgnoreCase("%" + escape(filter.text()) + "%", '\\'));
        }
        if (filter.theme() != null) {
            where.add(DSL.exists(DSL.selectOne().from(RESPONSE_THEME).where(RESPONSE_THEME.RESPONSE_ID.eq(RESPONSE.ID),
                    RESPONSE_THEME.THEME_KEY.eq(filter.theme()))));
        }
        if (filter.sentiment() != null) {
            where.add(RESPONSE_SENTIMENT.SENTIMENT.eq(filter.sentiment()));
        }
        if (after != null) {
            where.add(row(RESPONSE.RECEIVED_AT, RESPONSE.ID).lt(after.receivedAt().atOffset(ZoneOffset.UTC), after.id()));
        }
        Field<String[]> themes = DSL.field(DSL.select(DSL.arrayAgg(RESPONSE_THEME.THEME_KEY).orderBy(RESPONSE_THEME.THEME_KEY))
                .from(RESPONSE_THEME).where(RESPONSE_THEME.RESPONSE_ID.eq(RESPONSE.ID)));
        return dsl.select(RESPONSE.ID, RESPONSE.SCORE, RESPONSE.CATEGORY, RESPONSE.COMMENT, RESPONSE.CHANNEL,
                        RESPONSE.RECEIVED_AT, CAMPAIGN.KEY, CONTACT.EXTERNAL_ID, CONTACT.NAME, CONTACT.EMAIL,
                        themes, RESPONSE_SENTIMENT.SENTIMENT)
                .from(RESPONSE)
                .join(INVITATION).on(INVITATION.ID.eq(RESPONSE.INVITATION_ID))
                .join(CAMPAIGN).on(CAMPAIGN.ID.eq(INVITATION.CAMPAIGN_ID))
                .join(CONTACT).on(CONTACT.ID.eq(INVITATION.CONTACT_ID))
                .leftJoin(RESPONSE_SENTIMENT).on(RESPONSE_SENTIMENT.RESPONSE_ID.eq(RESPONSE.ID))
                .where(where)
                .orderBy(RESPONSE.RECEIVED_AT.desc(), RESPONSE.ID.desc())
                .limit(limit)
                .fetch(r -> new ResponseSearch.Item(r.value1(), r.value2(), r.value3(), r.value4(), r.value5(),
                        r.value6().toInstant(), r.value7(), r.value8(), r.value9(), r.value10(),
                        r.value11() == null ? List.of() : List.of(r.value11()), r.value12()));
    }

    boolean themeExists(DSLContext dsl, String key) {
        return dsl.fetchExists(THEME, THEME.KEY.eq(key));
    }

    /** {@code text} for a LIKE pattern, its wildcards taken literally. */
    private static String escape(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
