package io.surveycast.promoter;

import static io.surveycast.db.Tables.CAMPAIGN;
import static io.surveycast.db.Tables.INVITATION;
import static io.surveycast.db.Tables.RESPONSE;

import io.surveycast.campaign.CampaignDefinition;
import io.surveycast.sql.NamedSql;
import io.surveycast.sql.Params;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.Record;

/**
 * Clicks on follow-up links: {@link #follow} resolves {@code /r/{token}/{link}} to the campaign's
 * URL and counts one click for the response and link; {@link #byCampaign} sums them per link.
 * Every GET counts, a mail scanner's too: these are clicks, not reviews written or referrals made.
 */
final class LinkClicks {
    private static final NamedSql SQL = NamedSql.of("promoter");
    private final DSLContext dsl;
    private final Clock clock;

    public LinkClicks(DSLContext dsl, Clock clock) {
        this.dsl = dsl;
        this.clock = clock;
    }

    /**
     * The URL of the link called {@code link} in the campaign of the invitation with this survey
     * token, its click counted; empty (nothing counted) when there is no such token, the invitation
     * has no answer, or its campaign has no link of that name.
     */
    public Optional<String> follow(String token, String link) {
        if (token == null || link == null || token.length() > 200 || link.length() > 200) {
            return Optional.empty();
        }
        Record r = dsl.select(RESPONSE.ID, CAMPAIGN.DEFINITION.cast(String.class).as("definition"))
                .from(INVITATION)
                .join(RESPONSE).on(RESPONSE.INVITATION_ID.eq(INVITATION.ID))
                .join(CAMPAIGN).on(CAMPAIGN.ID.eq(INVITATION.CAMPAIGN_ID))
                .where(INVITATION.TOKEN.eq(token))
                .fetchOne();
        if (r == null) {
            return Optional.empty();
        }
        String url = CampaignDefinition.stored(r.get("definition", String.class)).followUp().links().get(link);
        if (url == null) {
            return Optional.empty();
        }
        SQL.get("count-click").query(dsl, new Params()
                        .value("response_id", r.get(RESPONSE.ID))
                        .value("link", link)
                        .value("now", clock.instant().atOffset(ZoneOffset.UTC)))
                .execute();
        return Optional.of(url);
    }

    /** Clicks on one follow-up link of a campaign ({@code url} null for a link taken out of the campaign since). */
    public record LinkCount(String name, String url, long clicks, long responses, long promoterResponses) {
    }

    /** The campaign's links in its order (unclicked ones with zeros), then links it no longer has; empty for no such campaign. */
    public Optional<List<LinkCount>> byCampaign(String key) {
        Record campaign = dsl.select(CAMPAIGN.ID, CAMPAIGN.DEFINITION.cast(String.class).as("definition"))
                .from(CAMPAIGN).where(CAMPAIGN.KEY.eq(key)).fetchOne();
        if (campaign == null) {
            return Optional.empty();
        }
        Map<String, Record> counted = new LinkedHashMap<>();
        for (Record r : SQL.get("clicks-by-link").query(dsl, new Params().value("campaign_id", campaign.get(CAMPAIGN.ID)))
                .fetch()) {
            counted.put(r.get("link", String.class), r);
        }
        List<LinkCount> rows = new ArrayList<>();
        CampaignDefinition.stored(campaign.get("definition", String.class)).followUp().links()
                .forEach((name, url) -> rows.add(count(name, url, counted.remove(name))));
        counted.forEach((name, r) -> rows.add(count(name, null, r)));
        return Optional.of(rows);
    }

    private static LinkCount count(String name, String url, Record r) {
        return r == null ? new LinkCount(name, url, 0, 0, 0)
                : new LinkCount(name, url, r.get("clicks", Long.class), r.get("responses", Long.class),
                        r.get("promoter_responses", Long.class));
    }
}
