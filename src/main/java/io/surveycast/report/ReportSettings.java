package io.surveycast.report;

import io.surveycast.config.Settings;
import java.nio.file.Path;

/**
 * What reports read from the settings: the contact attribute holding revenue
 * ({@code SURVEYCAST_REVENUE_ATTRIBUTE}, default {@code mrr}, a number), the one naming the account
 * ({@code SURVEYCAST_ACCOUNT_ATTRIBUTE}, default {@code account}) and the industry benchmark
 * ({@code SURVEYCAST_INDUSTRY} in {@code SURVEYCAST_BENCHMARKS_FILE} or the shipped table), if any.
 */
public record ReportSettings(String revenueAttribute, String accountAttribute, Benchmark benchmark) {
    public static final ReportSettings DEFAULT = new ReportSettings("mrr", "account", null);

    /** @throws io.surveycast.config.InvalidInputException for an unknown industry or a bad benchmarks file */
    public static ReportSettings fromSettings(Settings settings) {
        String industry = settings.get("surveycast.industry", "").strip();
        Benchmark benchmark = null;
        if (!industry.isEmpty()) {
            String file = settings.get("surveycast.benchmarks-file", "").strip();
            benchmark = (file.isEmpty() ? Benchmarks.shipped() : Benchmarks.of(Path.of(file))).industry(industry);
        }
        return new ReportSettings(settings.get("surveycast.revenue-attribute", "mrr").strip(),
                settings.get("surveycast.account-attribute", "account").strip(), benchmark);
    }
}
