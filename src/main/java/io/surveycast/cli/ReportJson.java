package io.surveycast.cli;

import io.surveycast.report.ReportRow;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The rows of {@code report --format json}; {@code GET /api/reports} answers the same. */
public final class ReportJson {
    private ReportJson() {
    }

    public static List<Map<String, Object>> rows(List<ReportRow> rows) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ReportRow r : rows) {
            Map<String, Object> row = new LinkedHashMap<>();
            Object[] values = ReportCommand.values(r);
            for (int i = 0; i < ReportCommand.COLUMNS.length; i++) {
                row.put(ReportCommand.COLUMNS[i], values[i]);
            }
            if (r.theme() != null) {
                Object[] theme = ReportCommand.themeValues(r);
                for (int i = 0; i < ReportCommand.THEME_COLUMNS.length; i++) {
                    row.put(ReportCommand.THEME_COLUMNS[i], theme[i]);
                }
            }
            row.put("scores", r.scores());
            List<Map<String, Object>> lift = new ArrayList<>();
            List<Double> points = r.liftPoints();
            for (int step = 0; step < r.lift().size(); step++) {
                Map<String, Object> s = new LinkedHashMap<>();
                s.put("step", step);
                s.put("responded", r.lift().get(step));
                s.put("points", points.get(step));
                lift.add(s);
            }
            row.put("reminder_lift", lift);
            row.put("skipped", r.skipped());
            row.put("deferred", r.deferred());
            out.add(row);
        }
        return out;
    }
}
