package io.surveycast.cli;

import io.surveycast.plan.PlanCounts;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** Planning counts as the plan and run-due commands print them. */
final class CountsOutput {
    private CountsOutput() {
    }

    /**
     * The JSON fields of DESIGN.md: invite, skip, defer (plus remind, remind_skip, expired,
     * promoter_email and promoter_email_skip for run-due).
     */
    static Map<String, Object> json(PlanCounts counts, boolean withReminders) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("invite", counts.invite());
        json.put("skip", counts.skip());
        json.put("defer", counts.defer());
        if (withReminders) {
            json.put("remind", counts.remind());
            json.put("remind_skip", counts.remindSkip());
            json.put("expired", counts.expired());
            json.put("promoter_email", counts.promoterEmail());
            json.put("promoter_email_skip", counts.promoterEmailSkip());
        }
        return json;
    }

    static void table(PrintWriter out, PlanCounts counts, boolean withReminders) {
        out.printf("%-12s %s%n", "invite", pairs(counts.invite()));
        out.printf("%-12s %s%n", "skip", pairs(counts.skip()));
        out.printf("%-12s %s%n", "defer", pairs(counts.defer()));
        if (withReminders) {
            out.printf("%-12s %s%n", "remind", pairs(counts.remind()));
            out.printf("%-12s %s%n", "remind skip", pairs(counts.remindSkip()));
            out.printf("%-12s %d%n", "expired", counts.expired());
            out.printf("%-12s %d%n", "promoter", counts.promoterEmail());
            out.printf("%-12s %s%n", "promoter skip", pairs(counts.promoterEmailSkip()));
        }
    }

    private static String pairs(Map<String, Long> map) {
        return map.isEmpty() ? "-" : map.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", "));
    }
}
