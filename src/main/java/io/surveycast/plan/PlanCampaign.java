package io.surveycast.plan;

import io.surveycast.campaign.CampaignDefinition;
import io.surveycast.campaign.FatiguePolicy;
import io.surveycast.campaign.IsoOffset;
import io.surveycast.campaign.SendWindow;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A stored campaign as the planner needs it: its id and definition, with the effective fatigue limits. */
public record PlanCampaign(long id, String key, String status, int priority, CampaignDefinition definition) {

    public String triggerType() {
        return definition.trigger().type();
    }

    public boolean isActive() {
        return status.equals("active");
    }

    public FatiguePolicy fatigue(FatiguePolicy global) {
        var f = definition.fatigue();
        return new FatiguePolicy(
                f.minDaysBetweenSurveys() == null ? global.minDaysBetweenSurveys() : f.minDaysBetweenSurveys(),
                f.maxSurveysPerYear() == null ? global.maxSurveysPerYear() : f.maxSurveysPerYear(),
                f.maxMessagesPerWeek() == null ? global.maxMessagesPerWeek() : f.maxMessagesPerWeek());
    }

    ZoneId zone() {
        return definition.timezone() == null ? ZoneOffset.UTC : ZoneId.of(definition.timezone());
    }

    Duration maxLateness() {
        return IsoOffset.parse(definition.maxLateness()).approximate();
    }

    IsoOffset expiresAfter() {
        return IsoOffset.parse(definition.expiresAfter());
    }

    ChannelWindow window(String channel) {
        SendWindow window = definition.sendWindow() == null ? null : SendWindow.parse(definition.sendWindow());
        return ChannelWindow.of(window, channel.equals("sms"));
    }
}
