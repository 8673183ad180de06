package io.surveycast.cli;

import io.surveycast.csv.SafeCsv;

import io.surveycast.response.ResponseExport;
import java.io.IOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "responses", mixinStandardHelpOptions = true,
        description = "Responses as they were given.", subcommands = {ResponsesCommand.Export.class, ResponsesCommand.Import.class})
final class ResponsesCommand {

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = {"Imports answers collected elsewhere (by phone, in person, by another tool) from a CSV file.",
                    "Columns: external_id (a known contact), score (0-10), received_at (ISO date-time with offset), "
                            + "campaign (a campaign key), all required; comment; channel (offline, phone, in-person, "
                            + "email, sms or web; default offline).",
                    "The same answer (contact, campaign, received_at) again is unchanged. Bad rows are reported on "
                            + "stderr as FILE:LINE: COLUMN: reason and left out, the good ones imported; the exit code "
                            + "is then 2. Ends with: imported N, unchanged U, rejected R."})
    static final class Import extends CliCommand {
        @picocli.CommandLine.Parameters(paramLabel = "FILE.csv", description = "the CSV file, UTF-8, with a header row")
        java.nio.file.Path file;

        @Option(names = "--dry-run", description = "check and count, change nothing")
        boolean dryRun;

        @Override
        public Integer call() {
            var answers = new io.surveycast.response.OfflineAnswers(context.database().dsl(), context.clock(),
                    io.surveycast.response.ResponseNotices.fromSettings(context.settings()));
            var summary = new io.surveycast.response.ResponseImport(answers)
                    .run(file, dryRun, io.surveycast.audit.AuditLog.cliActor(), context.err()::println);
            if (dryRun) {
                context.err().println("dry run: nothing was written");
            }
            context.out().println(summary.line());
            return summary.rejected() > 0 ? Cli.INVALID : Cli.OK;
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = {"Exports every response as CSV, oldest first.",
                    "Columns: response_id, received_at, updated_at, score, category, comment, response_channel, "
                            + "campaign, cycle, invitation_channel, invited_at, external_id, name, email, phone, locale, "
                            + "timezone, then one column per contact attribute.",
                    "--from and --to select by received time."})
    static final class Export extends CliCommand {
        @Option(names = "--campaign", paramLabel = "KEY", description = "one campaign (default: all)")
        String campaign;

        @Mixin
        Instants.Range range;

        @Override
        public Integer call() throws IOException {
            range.check();
            SafeCsv csv = new SafeCsv(context.out());
            new ResponseExport(context.database().dsl()).export(campaign, range.from, range.to, csv::text);
            csv.flush();
            context.out().flush();
            return Cli.OK;
        }
    }
}
