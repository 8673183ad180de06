package io.surveycast.cli;

import io.surveycast.config.InvalidInputException;
import io.surveycast.plan.PlanCampaign;
import io.surveycast.plan.PlanCounts;
import io.surveycast.plan.Planner;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "plan", mixinStandardHelpOptions = true,
        description = {"Plans one campaign at an instant: who is invited on which channel, who is skipped or deferred.",
                "Skips and deferrals are counted by reason. Without --dry-run the invitations are stored "
                        + "(as run-due would).",
                "Counts only what is newly due: contacts already planned for a cycle are not counted again."})
final class PlanCommand extends CliCommand {
    @Parameters(paramLabel = "KEY", description = "the campaign key")
    String key;

    @Option(names = "--at", paramLabel = "T", converter = Instants.InstantConverter.class,
            description = "the instant to plan at (ISO-8601; default: now)")
    Instant at;

    @Option(names = "--dry-run", description = "show what would be planned, store nothing")
    boolean dryRun;

    @Option(names = "--explain", paramLabel = "EXTERNAL_ID", description = "show the reasoning for one contact")
    String explain;

    @Mixin
    Formats.TableOrJson format;

    @Override
    public Integer call() {
        Instant when = at == null ? context.clock().instant() : at;
        Planner planner = context.planner();
        var dsl = context.database().dsl();
        PlanCampaign campaign = planner.campaigns(dsl).stream().filter(c -> c.key().equals(key)).findFirst()
                .orElseThrow(() -> new InvalidInputException("campaign " + key + ": no such campaign"));
        if (!campaign.isActive() && !dryRun) {
            throw new InvalidInputException("campaign " + key + ": is " + campaign.status()
                    + "; resume it first, or use --dry-run to see what it would do");
        }
        PlanCounts counts = new PlanCounts();
        String[] explanation = new String[1];
        io.surveycast.config.Transactions.run(dsl, dryRun, tx -> {
            planner.lock(tx);
            counts.addAll(planner.plan(tx, campaign, when, when));
            if (explain != null) {
                explanation[0] = planner.explain(tx, campaign, explain);
            }
        });
        if (format.json()) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("campaign", key);
            json.put("at", when.toString());
            json.putAll(CountsOutput.json(counts, false));
            if (explanation[0] != null) {
                json.put("explain", explanation[0]);
            }
            context.out().println(Json.write(json));
        } else {
            context.out().println("plan " + key + " at " + when + (dryRun ? " (dry run: nothing stored)" : ""));
            CountsOutput.table(context.out(), counts, false);
            if (explanation[0] != null) {
                context.out().println();
                context.out().print(explanation[0]);
            }
        }
        return Cli.OK;
    }
}
