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
            row.put("scores", r.scores());
            out.add(row);
        }
        return out;
    }
}
