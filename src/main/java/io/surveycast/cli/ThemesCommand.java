package io.surveycast.cli;

import io.surveycast.audit.AuditLog;
import io.surveycast.campaign.YamlBatch;
import io.surveycast.theme.ThemeTagging;
import io.surveycast.theme.Themes;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "themes", mixinStandardHelpOptions = true,
        description = "Manages the themes comments are tagged with (defined in YAML) and re-tags comments.",
        subcommands = {ThemesCommand.Apply.class, ThemesCommand.ListThemes.class, ThemesCommand.Retag.class})
final class ThemesCommand {
    private static Themes themes(CliContext context) {
        Themes themes = new Themes(context.database().dsl(), context.clock());
        themes.ensureDefaults(ThemeTagging.DEFAULTS_ACTOR);
        return themes;
    }

    /** Tags what is queued, in this process (a running serve shares the work). */
    private static void tagQueued(CliContext context) {
        try (ThemeTagging tagging = ThemeTagging.fromSettings(context.settings(), context.database().dsl(), context.clock())) {
            int total = 0;
            for (int n; (n = tagging.drain(40)) > 0; ) {
                total += n;
                context.err().println("tagged " + total + " comments");
                context.err().flush();
            }
            context.out().println("tagged " + total + " comments");
        }
    }

    @Command(name = "apply", mixinStandardHelpOptions = true,
            description = {"Creates or updates themes from YAML files or directories of them, then re-tags every comment.",
                    YamlApply.ALL_OR_NOTHING})
    static final class Apply extends YamlApply {
        private boolean changed;

        @Override
        List<YamlBatch.Outcome> apply(List<Path> paths, boolean dryRun, String actor) {
            List<YamlBatch.Outcome> outcomes = themes(context).apply(paths, dryRun, actor);
            changed = !dryRun && outcomes.stream().anyMatch(o -> !o.action().equals("unchanged"));
            return outcomes;
        }

        @Override
        void afterApply() {
            if (changed) {
                tagQueued(context);
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the themes.")
    static final class ListThemes extends CliCommand {
        @Mixin
        Formats.ListFormat format;

        @Override
        public Integer call() {
            boolean json = format.json();
            // JSON: the summary record as it is (key, label, keywords, examples, file)
            list(json, themes(context).list(), t -> t, null, new Table<Themes.Summary>("%-20s %-30s %-16s %8s  %s%n", t -> {
                StringBuilder keywords = new StringBuilder();
                t.keywords().forEach((language, n) -> keywords.append(keywords.isEmpty() ? "" : ",").append(language)
                        .append(':').append(n));
                return new Object[] {t.key(), t.label(), keywords, t.examples(), t.file() == null ? "" : t.file()};
            }, "KEY", "LABEL", "KEYWORDS", "EXAMPLES", "FILE"));
            return Cli.OK;
        }
    }

    @Command(name = "retag", mixinStandardHelpOptions = true,
            description = "Tags again every comment (received since DATE with --since); manual tags are kept.")
    static final class Retag extends CliCommand {
        @Option(names = "--since", paramLabel = "DATE", description = "only comments received on or after this date (UTC, ISO: 2027-01-01)")
        String since;

        @Override
        public Integer call() {
            LocalDate from = parsed(since, text -> LocalDate.parse(text.strip()),
                    "--since: " + since + ": expected an ISO date such as 2027-01-01");
            int queued = themes(context).queueRetag(from, AuditLog.cliActor());
            context.err().println("queued " + queued + " comments");
            tagQueued(context);
            return Cli.OK;
        }
    }
}
