package io.surveycast.campaign;

import java.util.List;

/** One line of {@code campaigns list}. */
public record CampaignSummary(String key, String name, String status, String trigger, List<String> channels,
                              int priority) {
}
