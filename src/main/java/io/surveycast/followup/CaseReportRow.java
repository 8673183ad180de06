package io.surveycast.followup;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One row of {@code cases report}: the cases of a group opened in the period as they stand now, and
 * the recovery of its detractors. Percentages and hours have one decimal; null where there is
 * nothing to measure (no case closed, no detractor re-surveyed).
 */
public record CaseReportRow(
        String group,
        long opened,
        long closed,
        long open,
        long overdue,
        Double closedWithinDue,
        Double medianHoursToFirstAction,
        Double medianHoursToClose,
        long detractorsResurveyed,
        long recovered,
        Double recoveryRate) {

    /** The contract's names, in its order: the JSON fields and the CSV header. */
    public static final List<String> COLUMNS = List.of("group", "opened", "closed", "open", "overdue", "closed_within_due",
            "median_hours_to_first_action", "median_hours_to_close", "detractors_resurveyed", "recovered", "recovery_rate");

    /** The values in {@link #COLUMNS}' order. */
    public List<Object> values() {
        return Arrays.asList(group, opened, closed, open, overdue, closedWithinDue, medianHoursToFirstAction,
                medianHoursToClose, detractorsResurveyed, recovered, recoveryRate);
    }

    public Map<String, Object> json() {
        Map<String, Object> row = new LinkedHashMap<>();
        List<Object> values = values();
        for (int i = 0; i < COLUMNS.size(); i++) {
            row.put(COLUMNS.get(i), values.get(i));
        }
        return row;
    }

    /** {@code 100 x part / whole} with one decimal, null for an empty whole (as the NPS report rounds). */
    static Double percent(long part, long whole) {
        return whole == 0 ? null : oneDecimal(100.0 * part / whole);
    }

    static Double oneDecimal(Double value) {
        return value == null ? null : BigDecimal.valueOf(value).setScale(1, RoundingMode.HALF_UP).doubleValue();
    }
}
