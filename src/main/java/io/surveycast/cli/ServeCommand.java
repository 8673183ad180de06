package io.surveycast.cli;

import io.surveycast.App;
import io.surveycast.config.Database;
import picocli.CommandLine.Command;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Runs the HTTP server, scheduler and dispatcher until stopped (SIGTERM or Ctrl-C).",
                "Migrates the database first."})
final class ServeCommand extends CliCommand {
    @Override
    public Integer call() throws Exception {
        var settings = context.settings();
        io.surveycast.channel.email.BounceMailbox.fromSettings(settings); // bad bounce settings: exit 2 before anything starts
        Database database = context.database(24);
        App.serve(settings, database, context.clock(), () -> {
            context.err().println("surveycast is listening on port " + settings.getInt("surveycast.http.port", 8080)
                    + ": open " + settings.publicUrl() + "/ (database: " + database.description() + "; "
                    + io.surveycast.channel.Channels.describe(settings) + ")");
            boolean noUser = new io.surveycast.user.Users(database.dsl(), context.clock()).list().stream()
                    .allMatch(io.surveycast.user.Users.Listed::disabled);
            if (noUser) {
                context.err().println(SIGN_IN_HINT);
            }
        });
        return Cli.OK;
    }

    static final String SIGN_IN_HINT = "no user can sign in yet: make one and its token with\n"
            + "  java -jar surveycast.jar users add NAME --role admin";
}
