package io.surveycast.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which stored flag of the replica's answer table a report's revenue and churn add up (ReportsTest
 * checks the figures against PostgreSQL's; this checks the fast path is the one taken where it fits,
 * and not taken where it would be wrong).
 */
class StoredLatestTest {
    private static String flag(String campaign, String from, String toExclusive, String by, String... where) {
        return ReplicaQueries.storedLatest(new ReportQuery(campaign, from == null ? null : LocalDate.parse(from),
                toExclusive == null ? null : LocalDate.parse(toExclusive), Breakdown.parse(by),
                SegmentFilter.parse(List.of(where)), "account"));
    }

    @Test
    void eachBreakdownAddsUpTheFlagOfItsScope() {
        assertThat(flag(null, null, null, "")).isEqualTo("latest_overall");
        assertThat(flag("q", null, null, "")).isEqualTo("latest_campaign");
        assertThat(flag(null, null, null, "campaign")).isEqualTo("latest_campaign");
        assertThat(flag("q", null, null, "quarter")).isEqualTo("latest_campaign_quarter");
        assertThat(flag(null, null, null, "campaign,quarter")).isEqualTo("latest_campaign_quarter");
        assertThat(flag(null, null, null, "attr:plan,month")).isEqualTo("latest_month");
        assertThat(flag("q", null, null, "wave,attr:region")).isEqualTo("latest_wave");
        assertThat(flag("q", null, null, "category", "attr:plan=pro")).isEqualTo("latest_campaign_category");
        assertThat(flag(null, null, null, "tenure,account")).isEqualTo("latest_tenure");
    }

    @Test
    void daysOnTheBoundsOfTheBreakdownsPeriodsKeepTheFlagAndOthersRankEveryAnswer() {
        assertThat(flag("q", "2026-04-01", "2026-07-01", "quarter")).isEqualTo("latest_campaign_quarter");
        assertThat(flag("q", "2026-05-01", "2026-07-01", "month")).isEqualTo("latest_campaign_month");
        assertThat(flag("q", "2026-05-01", null, "quarter")).as("half a quarter").isNull();
        assertThat(flag("q", "2026-04-01", "2026-07-02", "quarter")).as("a day past it").isNull();
        assertThat(flag("q", "2026-04-01", "2026-07-01", "category")).as("a category over some days").isNull();
        assertThat(flag(null, null, "2026-07-01", "")).isNull();
    }

    @Test
    void dimensionsOfTheAnswerItselfTogetherOrChannelAndThemeRankEveryAnswer() {
        assertThat(flag("q", null, null, "channel")).isNull();
        assertThat(flag("q", null, null, "theme")).isNull();
        assertThat(flag("q", null, null, "tenure,quarter")).isNull();
        assertThat(flag("q", null, null, "category,channel")).isNull();
        assertThat(flag("q", null, null, "wave,month")).isNull();
    }
}
