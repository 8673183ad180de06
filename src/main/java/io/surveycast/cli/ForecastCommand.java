package io.surveycast.cli;

import io.surveycast.config.InvalidInputException;
import io.surveycast.plan.Forecast;
import io.surveycast.plan.PlanCounts;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "forecast", mixinStandardHelpOptions = true,
        description = {"Shows the sends planned for the next N days, per day and channel.",
                "Counts invites, reminders and skips per UTC day from the current data. Nothing is stored."})
final class ForecastCommand extends CliCommand {
    @Option(names = "--days", paramLabel = "N", defaultValue = "30", description = "how many days (default 30)")
    int days;

    @Option(names = "--at", paramLabel = "T", converter = Instants.InstantConverter.class,
            description = "start of the forecast (default: now)")
    Instant at;

    @Mixin
    Formats.TableOrJson format;

    @Override
    public Integer call() {
        if (days < 1 || days > 366) {
            throw new InvalidInputException("--days: between 1 and 366, got " + days);
        }
        Instant from = at == null ? context.clock().instant() : at;
        var runner = context.dueRunner();
        Map<LocalDate, PlanCounts> forecast = new Forecast(context.database().dsl()).days(from, days, runner::runAt);
        // the first day is partial when the forecast starts after its midnight (UTC)
        java.time.LocalTime partialFrom = Forecast.partialFrom(from);
        LocalDate first = forecast.keySet().iterator().next();
        boolean empty = forecast.values().stream().allMatch(c -> c.invited() == 0 && c.skip().isEmpty()
                && c.remind().values().stream().allMatch(n -> n == 0));
        if (format.json()) {
            List<Map<String, Object>> rows = new ArrayList<>();
            forecast.forEach((day, counts) -> {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("date", day.toString());
                boolean partial = partialFrom != null && day.equals(first);
                row.put("partial", partial);
                if (partial) {
                    row.put("from", from.toString());
                }
                row.put("invite", counts.invite());
                row.put("remind", counts.remind());
                row.put("skip", counts.skip());
                rows.add(row);
            });
            context.out().println(Json.write(rows));
        } else {
            String format = "%-10s %13s %11s %15s %13s  %s%n";
            context.out().printf(format, "DATE", "EMAIL INVITES", "SMS INVITES", "EMAIL REMINDERS", "SMS REMINDERS", "SKIPS");
            forecast.forEach((day, c) -> context.out().printf(format,
                    partialFrom != null && day.equals(first) ? day + "*" : day.toString(), c.invite().get("email"),
                    c.invite().get("sms"), c.remind().get("email"), c.remind().get("sms"),
                    c.skip().isEmpty() ? "-" : c.skip().toString()));
            if (partialFrom != null) {
                context.out().printf("* partial day: from %s UTC (the forecast starts at %s)%n", partialFrom, from);
            }
            if (empty) {
                context.out().printf("Nothing is planned in these %d days: no campaign falls due for any contact "
                        + "(check `campaigns list` and `contacts import`).%n", days);
            }
        }
        return Cli.OK;
    }
}
