package io.surveycast.campaign;

import static io.surveycast.db.Tables.CAMPAIGN;

import io.surveycast.db.tables.records.CampaignRecord;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;
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
                .set(CAMPAIGN.NAME, d.name())
                .set(CAMPAIGN.STATUS, status)
                .set(CAMPAIGN.TRIGGER_TYPE, d.trigger().type())
                .set(CAMPAIGN.PRIORITY, d.priority())
                .set(CAMPAIGN.DEFINITION, JSONB.valueOf(json))
                .set(CAMPAIGN.DEFINITION_HASH, hash)
                .set(CAMPAIGN.SOURCE_FILE, file)
                .set(CAMPAIGN.CREATED_AT, now)
                .set(CAMPAIGN.UPDATED_AT, now)
                .execute();
    }

    void update(DSLContext tx, CampaignDefinition d, String status, String json, String hash, String file,
                OffsetDateTime now) {
        tx.update(CAMPAIGN)
                .set(CAMPAIGN.NAME, d.name())
                .set(CAMPAIGN.STATUS, status)
                .set(CAMPAIGN.TRIGGER_TYPE, d.trigger().type())
                .set(CAMPAIGN.PRIORITY, d.priority())
                .set(CAMPAIGN.DEFINITION, JSONB.valueOf(json))
                .set(CAMPAIGN.DEFINITION_HASH, hash)
                .set(CAMPAIGN.SOURCE_FILE, file)
                .set(CAMPAIGN.UPDATED_AT, now)
                .where(CAMPAIGN.KEY.eq(d.key()))
                .execute();
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
