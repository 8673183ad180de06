package io.surveycast.cli;

import io.surveycast.App;
import io.surveycast.config.Database;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Runs the HTTP server, scheduler and dispatcher until stopped (SIGTERM or Ctrl-C).",
                "Migrates the database first."})
final class ServeCommand implements Callable<Integer> {
    private final CliContext context;

    ServeCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        var settings = context.settings();
        io.surveycast.channel.email.BounceMailbox.fromSettings(settings); // bad bounce settings: exit 2 before anything starts
        Database database = context.database(24);
        App.serve(settings, database, context.clock(), () -> context.err().println(
                "surveycast is listening on port " + settings.getInt("surveycast.http.port", 8080)
                        + " (database: " + database.description() + "; "
                        + io.surveycast.channel.Channels.describe(settings) + ")"));
        return Cli.OK;
    }
}
