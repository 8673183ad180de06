package io.surveycast.plan;

import io.surveycast.campaign.CampaignDefinition;
import io.surveycast.campaign.FatiguePolicy;
import io.surveycast.campaign.IsoOffset;
import java.time.Duration;
import java.time.ZoneId;

/** A stored campaign as the planner needs it: its id and definition, with the effective fatigue limits. */
public record PlanCampaign(long id, String key, String status, int priority, CampaignDefinition definition) {

    public String triggerType() {
        return definition.trigger().type();
    }

    public boolean isActive() {
        return status.equals("active");
    }

    public FatiguePolicy fatigue(FatiguePolicy global) {
        return definition.fatigue().over(global);
    }

    ZoneId zone() {
        return definition.zoneOrUtc();
    }

    /** The campaign's own time zone as SQL takes it, null when it has none. */
    String timezoneId() {
        return definition.timezone() == null ? null : definition.timezone().getId();
    }

    Duration maxLateness() {
        return definition.maxLateness().approximate();
    }

    IsoOffset expiresAfter() {
        return definition.expiresAfter();
    }

    ChannelWindow window(String channel) {
        return ChannelWindow.of(definition.sendWindow(), channel.equals("sms"));
    }
}
