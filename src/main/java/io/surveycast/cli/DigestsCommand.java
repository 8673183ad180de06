package io.surveycast.cli;

import io.surveycast.campaign.YamlBatch;
import io.surveycast.channel.Channels;
import io.surveycast.digest.Digests;
import io.surveycast.report.ReportSettings;
import io.surveycast.report.Reports;
import io.surveycast.response.NotificationSender;
import io.surveycast.response.ResponseNotices;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "digests", mixinStandardHelpOptions = true,
        description = "Manages the NPS digests sent by email and to Slack-compatible webhooks (defined in YAML).",
        subcommands = {DigestsCommand.Apply.class, DigestsCommand.ListDigests.class, DigestsCommand.Preview.class,
                DigestsCommand.Send.class})
final class DigestsCommand {

    static Digests digests(CliContext context) {
        var dsl = context.database().dsl();
        return Digests.of(context.settings(), dsl, context.clock(),
                new Reports(dsl, Integer.MAX_VALUE, ReportSettings.fromSettings(context.settings())), context.templates());
    }

    /** The notification outbox's sender on this process's channels, for what run-due and digests send deliver themselves. */
    static NotificationSender notificationSender(CliContext context, Channels channels) {
        return new NotificationSender(context.database().dsl(), context.clock(), ResponseNotices.fromSettings(context.settings()),
                channels.email(), context.templates(), context.settings().get("surveycast.webhook.secret").orElse(null),
                channels.mailFrom(), io.surveycast.config.OutgoingUrls.fromSettings(context.settings()));
    }

    @Command(name = "apply", mixinStandardHelpOptions = true,
            description = {"Creates or updates digests from YAML files or directories of them.",
                    YamlApply.ALL_OR_NOTHING})
    static final class Apply extends YamlApply {
        @Override
        List<YamlBatch.Outcome> apply(List<Path> paths, boolean dryRun, String actor) {
            return digests(context).apply(paths, dryRun, actor);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the digests and the last period sent.")
    static final class ListDigests extends CliCommand {
        @Mixin
        Formats.ListFormat format;

        @Override
        public Integer call() {
            boolean json = format.json();
            list(json, digests(context).list(), Digests.Summary::json, null, new Table<Digests.Summary>(
                    "%-24s %-22s %-16s %-6s %-10s %-24s %s%n", d -> {
                        StringBuilder filter = new StringBuilder(d.campaign() == null ? "" : d.campaign());
                        for (Map.Entry<String, List<String>> e : d.attributes().entrySet()) {
                            filter.append(filter.isEmpty() ? "" : " ").append(e.getKey()).append('=')
                                    .append(String.join("|", e.getValue()));
                        }
                        return new Object[] {d.name(), d.cron(), d.timezone(), d.period(), d.to().size(),
                            filter.isEmpty() ? "-" : filter, d.lastPeriodEnd() == null ? "-" : d.lastPeriodEnd().minusDays(1)};
                    }, "DIGEST", "CRON", "TIMEZONE", "PERIOD", "RECIPIENTS", "FILTER", "LAST PERIOD TO"));
            return Cli.OK;
        }
    }

    @Command(name = "preview", mixinStandardHelpOptions = true,
            description = "Prints the text version of a digest for the period ending today (UTC), without sending it.")
    static final class Preview extends CliCommand {
        @Parameters(paramLabel = "NAME", description = "the digest")
        String name;

        @Override
        public Integer call() {
            context.out().print(digests(context).preview(name));
            context.out().flush();
            return Cli.OK;
        }
    }

    @Command(name = "send", mixinStandardHelpOptions = true,
            description = {"Sends a digest now, for the period ending today (UTC), to every recipient.",
                    "It goes through the notification outbox: what cannot be delivered now is retried by serve."})
    static final class Send extends CliCommand {
        @Parameters(paramLabel = "NAME", description = "the digest")
        String name;

        @Override
        public Integer call() {
            int queued = digests(context).sendNow(name);
            try (Channels channels = Channels.fromSettings(context.settings(), context.database().dsl(), context.clock(),
                    new io.surveycast.devmode.DevModeChannels())) {
                notificationSender(context, channels).sendDueAt(context.clock().instant(), "digest");
            }
            context.out().println("sent " + name + " to " + queued + " recipients");
            return Cli.OK;
        }
    }
}
