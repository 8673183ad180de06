package io.surveycast.report;

import static io.surveycast.db.Tables.CAMPAIGN;
import static io.surveycast.db.Tables.CONTACT;
import static io.surveycast.db.Tables.INVITATION;
import static io.surveycast.db.Tables.RESPONSE;
import static org.jooq.impl.DSL.coalesce;
import static org.jooq.impl.DSL.count;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.inline;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.SelectJoinStep;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * The SQL of reports: invitations whose invite went out (or failed trying) in the period, by when
 * it went out (the planned time for one that failed before going), with their responses.
 */
final class ReportQueries {

    List<ReportRow> rows(DSLContext dsl, String campaign, Instant from, Instant to, Breakdown by) {
        Field<OffsetDateTime> at = coalesce(INVITATION.SENT_AT, INVITATION.INVITE_AT);
        Field<String> group = group(by, at);
        Field<Integer> score = RESPONSE.SCORE.cast(SQLDataType.INTEGER);
        List<Field<?>> fields = new ArrayList<>();
        fields.add(group.as("grp"));
        fields.add(count().as("invited"));
        fields.add(count().filterWhere(INVITATION.STATUS.eq("failed")).as("failed"));
        fields.add(count(RESPONSE.ID).as("responded"));
        fields.add(count(RESPONSE.ID).filterWhere(score.ge(9)).as("promoters"));
        fields.add(count(RESPONSE.ID).filterWhere(score.between(7, 8)).as("passives"));
        fields.add(count(RESPONSE.ID).filterWhere(score.le(6)).as("detractors"));
        for (int s = 0; s <= 10; s++) {
            fields.add(count(RESPONSE.ID).filterWhere(score.eq(s)).as("s" + s));
        }
        fields.add(field("percentile_cont(0.5) within group (order by extract(epoch from {0} - {1}))", Double.class,
                RESPONSE.RECEIVED_AT, INVITATION.SENT_AT).as("median_seconds"));
        SelectJoinStep<Record> query = dsl.select(fields).from(INVITATION)
                .join(CAMPAIGN).on(CAMPAIGN.ID.eq(INVITATION.CAMPAIGN_ID));
        if (by.kind().equals("attr")) {
            query = query.join(CONTACT).on(CONTACT.ID.eq(INVITATION.CONTACT_ID));
        }
        Condition where = INVITATION.SENT_AT.isNotNull().or(INVITATION.STATUS.eq("failed"));
        if (campaign != null) {
            where = where.and(CAMPAIGN.KEY.eq(campaign));
        }
        if (from != null) {
            where = where.and(at.ge(from.atOffset(ZoneOffset.UTC)));
        }
        if (to != null) {
            where = where.and(at.lt(to.atOffset(ZoneOffset.UTC)));
        }
        var filtered = query.leftJoin(RESPONSE).on(RESPONSE.INVITATION_ID.eq(INVITATION.ID)).where(where);
        var grouped = by.kind().equals("all") ? filtered.having(count().gt(0)) : filtered.groupBy(group).orderBy(group);
        return grouped.fetch(r -> {
                    List<Long> scores = new ArrayList<>(11);
                    for (int s = 0; s <= 10; s++) {
                        scores.add(r.get("s" + s, Long.class));
                    }
                    Double median = r.get("median_seconds", Double.class);
                    return new ReportRow(r.get("grp", String.class), r.get("invited", Long.class), r.get("failed", Long.class),
                            r.get("responded", Long.class), r.get("promoters", Long.class), r.get("passives", Long.class),
                            r.get("detractors", Long.class), List.copyOf(scores),
                            median == null ? null : ReportRow.round(median / 3600));
                });
    }

    boolean campaignExists(DSLContext dsl, String key) {
        return dsl.fetchExists(CAMPAIGN, CAMPAIGN.KEY.eq(key));
    }

    private static Field<String> group(Breakdown by, Field<OffsetDateTime> at) {
        return switch (by.kind()) {
            case "campaign" -> CAMPAIGN.KEY;
            case "wave" -> DSL.concat(CAMPAIGN.KEY, inline(" "), INVITATION.CYCLE);
            case "channel" -> coalesce(INVITATION.CHANNEL, inline("(none)"));
            case "month" -> field("to_char({0} at time zone 'UTC', 'YYYY-MM')", String.class, at);
            case "quarter" -> field("to_char({0} at time zone 'UTC', 'YYYY-\"Q\"Q')", String.class, at);
            case "attr" -> coalesce(field("{0} ->> {1}", String.class, CONTACT.ATTRIBUTES, inline(by.attribute())),
                    inline("(none)"));
            default -> inline("all");
        };
    }
}
