package io.surveycast.cli;

import io.surveycast.audit.AuditLog;
import io.surveycast.campaign.YamlBatch;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The {@code apply PATH... [--dry-run]} of every definition kept as YAML (campaigns, themes,
 * digests): the feature checks every file and applies all or nothing; this prints what it did,
 * one line per definition.
 */
abstract class YamlApply extends CliCommand {
    /** The second paragraph of every {@code apply}'s help. */
    static final String ALL_OR_NOTHING = "Every file is checked first; on any error nothing is applied, each error is printed as "
            + "FILE:LINE: FIELD: reason and the exit code is 2.";
    @Parameters(paramLabel = "PATH", arity = "1..*", description = "YAML files or directories")
    List<Path> paths;

    @Option(names = "--dry-run", description = "validate and report, change nothing")
    boolean dryRun;

    /** Applies (or with {@code dryRun} only checks) the files; one line per definition. */
    abstract List<YamlBatch.Outcome> apply(List<Path> paths, boolean dryRun, String actor);

    /** What follows once the lines are printed. */
    void afterApply() {
    }

    @Override
    public final Integer call() {
        List<YamlBatch.Outcome> outcomes = apply(paths, dryRun, AuditLog.cliActor());
        if (dryRun) {
            context.err().println("dry run: nothing was written");
        }
        outcomes.forEach(o -> context.out().println(o.line()));
        afterApply();
        return Cli.OK;
    }
}
