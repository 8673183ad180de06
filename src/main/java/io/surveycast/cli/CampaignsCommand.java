package io.surveycast.cli;

import io.surveycast.audit.AuditLog;
import io.surveycast.campaign.CampaignSummary;
import io.surveycast.campaign.Campaigns;
import io.surveycast.campaign.FatiguePolicy;
import io.surveycast.campaign.YamlBatch;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "campaigns", mixinStandardHelpOptions = true, description = "Manages campaigns (defined in YAML).",
        subcommands = {CampaignsCommand.Apply.class, CampaignsCommand.ListCampaigns.class,
                CampaignsCommand.Pause.class, CampaignsCommand.Resume.class})
final class CampaignsCommand {

    static Campaigns campaigns(CliContext context) {
        return new Campaigns(context.database().dsl(), context.clock(), context.templates(),
                FatiguePolicy.fromSettings(context.settings()), io.surveycast.config.OutgoingUrls.fromSettings(context.settings()));
    }

    @Command(name = "apply", mixinStandardHelpOptions = true,
            description = {"Creates or updates campaigns from YAML files or directories of them.",
                    YamlApply.ALL_OR_NOTHING})
    static final class Apply extends YamlApply {
        @Override
        List<YamlBatch.Outcome> apply(List<Path> paths, boolean dryRun, String actor) {
            return campaigns(context).apply(paths, dryRun, actor);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists campaigns.")
    static final class ListCampaigns extends CliCommand {
        @Override
        public Integer call() {
            list(false, campaigns(context).list(), null, "no campaigns yet: apply some with `campaigns apply campaigns/`",
                    new Table<CampaignSummary>("%-24s %-9s %-11s %-10s %8s  %s%n", c -> new Object[] {c.key(), c.status(),
                        c.trigger(), String.join(",", c.channels()), c.priority(), c.name()},
                        "KEY", "STATUS", "TRIGGER", "CHANNELS", "PRIORITY", "NAME"));
            return Cli.OK;
        }
    }

    abstract static class StatusChange extends CliCommand {
        private final String status;
        private final String verb;

        @Parameters(paramLabel = "KEY", description = "the campaign key")
        String key;

        StatusChange(String status, String verb) {
            this.status = status;
            this.verb = verb;
        }

        @Override
        public Integer call() {
            boolean changed = campaigns(context).setStatus(key, status, AuditLog.cliActor());
            context.out().println((changed ? verb + " " : "unchanged ") + key);
            return Cli.OK;
        }
    }

    @Command(name = "pause", mixinStandardHelpOptions = true,
            description = "Pauses a campaign: nothing new is planned or sent for it until it is resumed.")
    static final class Pause extends StatusChange {
        Pause() {
            super("paused", "paused");
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Resumes a paused campaign.")
    static final class Resume extends StatusChange {
        Resume() {
            super("active", "resumed");
        }
    }
}
