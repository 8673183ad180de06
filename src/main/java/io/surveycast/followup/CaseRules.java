package io.surveycast.followup;

import io.surveycast.campaign.CampaignDefinition;
import io.surveycast.campaign.IsoOffset;
import java.time.Instant;
import java.time.ZoneId;

/**
 * A campaign's follow-up rules as cases use them: which answer categories open a case and with
 * what due time, the fallback owner and the escalation address.
 */
record CaseRules(String owner, String escalateTo, Rule detractor, Rule passive) {

    record Rule(boolean opensCase, IsoOffset due) { }

    static final Rule DEFAULT_DETRACTOR = new Rule(true, IsoOffset.parse("PT48H"));
    static final Rule DEFAULT_PASSIVE = new Rule(false, IsoOffset.parse("P7D"));

    static CaseRules of(CampaignDefinition campaign) {
        return new CaseRules(null, null, DEFAULT_DETRACTOR, DEFAULT_PASSIVE);
    }

    /** The rule that opens a case for an answer of {@code category}, or null when none does. */
    Rule opening(String category) {
        Rule rule = switch (category) {
            case "detractor" -> detractor;
            case "passive" -> passive;
            default -> null;
        };
        return rule != null && rule.opensCase() ? rule : null;
    }

    /** The due time of a case opened at {@code at}: calendar days in the campaign's zone. */
    static Instant due(Instant at, IsoOffset due, ZoneId zone) {
        return at.atZone(zone).plus(due.period()).plus(due.duration()).toInstant();
    }
}
