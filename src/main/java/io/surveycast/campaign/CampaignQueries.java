package io.surveycast.campaign;

import static io.surveycast.db.Tables.CAMPAIGN;

import io.surveycast.db.tables.records.CampaignRecord;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.JSONB;

/** The SQL of campaigns. */
final class CampaignQueries {

    Optional<CampaignRecord> find(DSLContext tx, String key) {
        return tx.selectFrom(CAMPAIGN).where(CAMPAIGN.KEY.eq(key)).forUpdate().fetchOptional();
    }

    void insert(DSLContext tx, CampaignDefinition d, String status, String json, String hash, String file,
                OffsetDateTime now) {
        tx.insertInto(CAMPAIGN)
                .set(CAMPAIGN.KEY, d.key())
                .set(applied(d, status, json, hash, file, now))
                .set(CAMPAIGN.CREATED_AT, now)
                .execute();
    }

    void update(DSLContext tx, CampaignDefinition d, String status, String json, String hash, String file,
                OffsetDateTime now) {
        tx.update(CAMPAIGN)
                .set(applied(d, status, json, hash, file, now))
                .where(CAMPAIGN.KEY.eq(d.key()))
                .execute();
    }

    /** The columns an apply writes, the same whether it creates or updates the campaign. */
    private static Map<Field<?>, Object> applied(CampaignDefinition d, String status, String json, String hash, String file,
                                                 OffsetDateTime now) {
        Map<Field<?>, Object> columns = new LinkedHashMap<>();
        columns.put(CAMPAIGN.NAME, d.name());
        columns.put(CAMPAIGN.STATUS, status);
        columns.put(CAMPAIGN.TRIGGER_TYPE, d.trigger().type());
        columns.put(CAMPAIGN.PRIORITY, d.priority());
        columns.put(CAMPAIGN.DEFINITION, JSONB.valueOf(json));
        columns.put(CAMPAIGN.DEFINITION_HASH, hash);
        columns.put(CAMPAIGN.SOURCE_FILE, file);
        columns.put(CAMPAIGN.UPDATED_AT, now);
        return columns;
    }

    int setStatus(DSLContext tx, String key, String status, OffsetDateTime now) {
        return tx.update(CAMPAIGN)
                .set(CAMPAIGN.STATUS, status)
                .set(CAMPAIGN.UPDATED_AT, now)
                .where(CAMPAIGN.KEY.eq(key))
                .execute();
    }

    List<CampaignRecord> all(DSLContext dsl) {
        return dsl.selectFrom(CAMPAIGN).orderBy(CAMPAIGN.KEY).fetch();
    }
}
