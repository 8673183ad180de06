package io.surveycast.cli;

import io.surveycast.config.InvalidInputException;
import io.surveycast.plan.PlanCounts;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "run-due", mixinStandardHelpOptions = true,
        description = {"Runs everything due at an instant once (campaign triggers, reminders, expiry) and exits.",
                "With --until, repeats at T, T+step, ... up to T2 in one process: a simulation of days or months.",
                "Messages are queued; sending them is the dispatcher's work."})
final class RunDueCommand implements Callable<Integer> {
    private final CliContext context;

    @Option(names = "--at", paramLabel = "T", converter = Instants.InstantConverter.class,
            description = "the instant (ISO-8601; default: now)")
    Instant at;

    @Option(names = "--until", paramLabel = "T2", converter = Instants.InstantConverter.class,
            description = "repeat up to this instant")
    Instant until;

    @Option(names = "--step", paramLabel = "DURATION", converter = Instants.DurationConverter.class,
            description = "time between repetitions with --until (ISO-8601, default PT1H)")
    Duration step;

    @Option(names = "--format", paramLabel = "table|json", defaultValue = "table", description = "output format")
    PlanCommand.Format format;

    RunDueCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        Instant from = at == null ? context.clock().instant() : at;
        if (until != null && until.isBefore(from)) {
            throw new InvalidInputException("--until: " + until + " is before --at " + from);
        }
        if (step != null && (step.isZero() || step.isNegative())) {
            throw new InvalidInputException("--step: must be positive");
        }
        if (step != null && until == null) {
            throw new InvalidInputException("--step: goes with --until");
        }
        var runner = context.dueRunner();
        PlanCounts counts = until == null
                ? runner.runAt(from)
                : runner.runSteps(from, until, step == null ? Duration.ofHours(1) : step, t -> { });
        Map<String, Object> sent = new LinkedHashMap<>();
        sent.put("email", 0);
        sent.put("sms", 0);
        if (format == PlanCommand.Format.json) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("at", from.toString());
            if (until != null) {
                json.put("until", until.toString());
            }
            json.putAll(CountsOutput.json(counts, true));
            json.put("sent", sent);
            context.out().println(Json.write(json));
        } else {
            context.out().println("run-due at " + from + (until == null ? "" : " until " + until));
            CountsOutput.table(context.out(), counts, true);
            context.out().printf("%-12s email 0, sms 0 (no dispatcher yet: messages stay queued)%n", "sent");
        }
        return Cli.OK;
    }
}
