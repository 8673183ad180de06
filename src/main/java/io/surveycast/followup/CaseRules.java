package io.surveycast.followup;

import io.surveycast.campaign.CampaignDefinition.CaseRule;
import io.surveycast.campaign.CampaignDefinition.FollowUp;
import io.surveycast.campaign.IsoOffset;
import java.time.Instant;
import java.time.ZoneId;

/** A campaign's follow-up rules as cases use them (the {@code follow-up} block, read by the campaign). */
final class CaseRules {
    private CaseRules() {
    }

    /** The rule that opens a case for an answer of {@code category}, or null when none does. */
    static CaseRule opening(FollowUp followUp, String category) {
        return followUp.caseRule(category).filter(CaseRule::opensCase).orElse(null);
    }

    /** The due time of a case opened at {@code at}: calendar days in the campaign's zone. */
    static Instant due(Instant at, IsoOffset due, ZoneId zone) {
        return at.atZone(zone).plus(due.period()).plus(due.duration()).toInstant();
    }
}
