package io.surveycast.campaign;

import io.surveycast.config.Settings;

/** The global fatigue limits (DESIGN.md, "Fatigue"); campaigns may only be stricter. */
public record FatiguePolicy(int minDaysBetweenSurveys, int maxSurveysPerYear, int maxMessagesPerWeek) {
    public static final FatiguePolicy DEFAULT = new FatiguePolicy(90, 4, 3);

    public static FatiguePolicy fromSettings(Settings settings) {
        return new FatiguePolicy(
                settings.getInt("surveycast.fatigue.min-days-between-surveys", DEFAULT.minDaysBetweenSurveys),
                settings.getInt("surveycast.fatigue.max-surveys-per-year", DEFAULT.maxSurveysPerYear),
                settings.getInt("surveycast.fatigue.max-messages-per-week", DEFAULT.maxMessagesPerWeek));
    }
}
