package io.surveycast.cli;

import io.surveycast.config.InvalidInputException;
import io.surveycast.response.ResponseExport;
import java.io.IOException;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "responses", mixinStandardHelpOptions = true,
        description = "Responses as they were given.", subcommands = {ResponsesCommand.Export.class})
final class ResponsesCommand {

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = {"Exports every response as CSV, oldest first.",
                    "Columns: response_id, received_at, updated_at, score, category, comment, response_channel, "
                            + "campaign, cycle, invitation_channel, invited_at, external_id, name, email, phone, locale, "
                            + "timezone, then one column per contact attribute.",
                    "--from and --to select by received time."})
    static final class Export implements Callable<Integer> {
        private final CliContext context;

        @Option(names = "--campaign", paramLabel = "KEY", description = "one campaign (default: all)")
        String campaign;

        @Option(names = "--from", paramLabel = "T", converter = Instants.InstantConverter.class,
                description = "from this instant (inclusive)")
        Instant from;

        @Option(names = "--to", paramLabel = "T", converter = Instants.InstantConverter.class,
                description = "up to this instant (exclusive)")
        Instant to;

        Export(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() throws IOException {
            if (from != null && to != null && !to.isAfter(from)) {
                throw new InvalidInputException("--to: " + to + " is not after --from " + from);
            }
            SafeCsv csv = new SafeCsv(context.out());
            new ResponseExport(context.database().dsl()).export(campaign, from, to, csv::text);
            csv.flush();
            context.out().flush();
            return Cli.OK;
        }
    }
}
