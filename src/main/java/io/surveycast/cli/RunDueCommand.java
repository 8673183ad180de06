package io.surveycast.cli;

import io.surveycast.App;
import io.surveycast.config.InvalidInputException;
import io.surveycast.dispatch.DispatchCounts;
import io.surveycast.dispatch.Dispatcher;
import io.surveycast.plan.PlanCounts;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "run-due", mixinStandardHelpOptions = true,
        description = {"Runs everything due at an instant once, sends it, and exits.",
                "Due means campaign triggers, reminders, expiry and dispatch; it waits until nothing due at that "
                        + "instant is left to send. Digests whose cron fired by then are sent too (once per period).",
                "With --until, repeats at T, T+step, ... up to T2 in one process: a simulation of days or months."})
final class RunDueCommand extends CliCommand {
    @Option(names = "--at", paramLabel = "T", converter = Instants.InstantConverter.class,
            description = "the instant (ISO-8601; default: now)")
    Instant at;

    @Option(names = "--until", paramLabel = "T2", converter = Instants.InstantConverter.class,
            description = "repeat up to this instant")
    Instant until;

    @Option(names = "--step", paramLabel = "DURATION", converter = Instants.DurationConverter.class,
            description = "time between repetitions with --until (ISO-8601, default PT1H)")
    Duration step;

    @Mixin
    Formats.TableOrJson format;

    private void printIfAny(String label, Map<String, Long> counts) {
        if (!counts.isEmpty()) {
            context.out().printf("%-12s %s%n", label, counts.entrySet().stream()
                    .map(e -> e.getKey() + " " + e.getValue()).collect(java.util.stream.Collectors.joining(", ")));
        }
    }

    @Override
    public Integer call() throws Exception {
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
        context.database(24);
        var runner = context.dueRunner();
        DispatchCounts dispatched = new DispatchCounts();
        PlanCounts counts;
        var digests = DigestsCommand.digests(context);
        try (App.SendingNode sender = App.startSender(context.settings(), context.database(), context.clock())) {
            Dispatcher dispatcher = sender.dispatcher();
            var notifications = DigestsCommand.notificationSender(context, sender.channels());
            java.util.function.Consumer<Instant> afterPlanning = t -> {
                dispatched.addAll(dispatcher.drain(t));
                // the digests whose cron fired by t, queued once per period and delivered at t
                digests.queueDue(t);
                notifications.sendDueAt(t, "digest");
            };
            if (until == null) {
                counts = runner.runAt(from);
                afterPlanning.accept(from);
            } else {
                counts = runner.runSteps(from, until, step == null ? Duration.ofHours(1) : step, afterPlanning);
            }
        }
        Map<String, Object> sent = new LinkedHashMap<>();
        sent.put("email", dispatched.sent().getOrDefault("email", 0L));
        sent.put("sms", dispatched.sent().getOrDefault("sms", 0L));
        if (format.json()) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("at", from.toString());
            if (until != null) {
                json.put("until", until.toString());
            }
            json.putAll(CountsOutput.json(counts, true));
            json.put("sent", sent);
            json.put("failed", dispatched.failed());
            json.put("retrying", dispatched.retried());
            json.put("held", dispatched.deferred());
            json.put("cancelled", dispatched.cancelled());
            context.out().println(Json.write(json));
        } else {
            context.out().println("run-due at " + from + (until == null ? "" : " until " + until));
            CountsOutput.table(context.out(), counts, true);
            context.out().printf("%-12s email %d, sms %d%n", "sent", sent.get("email"), sent.get("sms"));
            printIfAny("failed", dispatched.failed());
            printIfAny("retrying", dispatched.retried());
            printIfAny("held", dispatched.deferred());
            printIfAny("cancelled", dispatched.cancelled());
        }
        return Cli.OK;
    }
}
