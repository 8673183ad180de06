package io.surveycast.followup;

import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jooq.DSLContext;

/**
 * The loop's figures on the dashboard overview, beside its NPS and for the same days: of the cases
 * opened in the period (as {@code cases report} counts them), those still open, those overdue, the
 * share closed within the due time and the detractors' recovery rate. The model of
 * {@code templates/web/loop-figures.ftl}.
 */
public final class LoopFigures {
    private LoopFigures() { }

    public static Map<String, Object> overview(DSLContext dsl, LocalDate from, LocalDate to, Instant now) {
        CaseReportRow all = CaseReport.rows(dsl, new CaseReport.Query(from, to, null), now).stream().findFirst()
                .orElse(new CaseReportRow("all", 0, 0, 0, 0, null, null, null, 0, 0, null));
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("opened", all.opened());
        model.put("open", all.open());
        model.put("overdue", all.overdue());
        model.put("closedWithinDue", percent(all.closedWithinDue()));
        model.put("recoveryRate", percent(all.recoveryRate()));
        model.put("resurveyed", all.detractorsResurveyed());
        return model;
    }

    private static String percent(Double value) {
        return value == null ? "\u2013" : String.format(java.util.Locale.ROOT, "%.1f %%", value);
    }
}
