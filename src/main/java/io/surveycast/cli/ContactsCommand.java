package io.surveycast.cli;

import io.surveycast.audit.AuditLog;
import io.surveycast.contact.ContactImport;
import io.surveycast.contact.ImportSummary;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "contacts", mixinStandardHelpOptions = true, description = "Manages contacts.",
        subcommands = ContactsCommand.Import.class)
final class ContactsCommand {

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = {"Imports contacts from a CSV file, updating those already known (same external_id).",
                    "The file has a header row; external_id is required; email, phone, name, locale, timezone, "
                            + "onboarded_at and renewal_date are contact fields; any other column is an attribute.",
                    "Bad rows are reported on stderr as "
                    + "FILE:LINE: COLUMN: reason and left out; the exit code is then 2."})
    static final class Import extends CliCommand {
        @Parameters(paramLabel = "FILE.csv", description = "the CSV file, UTF-8")
        Path file;

        @Option(names = "--dry-run", description = "check and count, change nothing")
        boolean dryRun;

        @Option(names = "--accept-column", paramLabel = "NAME", split = ",",
                description = "keep column NAME as an attribute although its name is close to a contact field or "
                        + "to owner_email, account or mrr (such a column is otherwise refused as a likely typo); "
                        + "repeatable")
        java.util.Set<String> acceptColumns = new java.util.LinkedHashSet<>();

        @Override
        public Integer call() {
            var settings = context.settings();
            ContactImport importer = new ContactImport(context.database().dsl(), context.clock(),
                    settings.get("surveycast.default-region", "US"));
            ImportSummary summary = importer.run(file, dryRun, AuditLog.cliActor(), acceptColumns, context.err()::println);
            if (dryRun) {
                context.err().println("dry run: nothing was written");
            }
            context.out().println(summary.line());
            return summary.rejected() > 0 ? Cli.INVALID : Cli.OK;
        }
    }
}
