package io.surveycast.cli;

import io.surveycast.config.Database;
import picocli.CommandLine.Command;

@Command(name = "migrate", mixinStandardHelpOptions = true,
        description = "Creates or upgrades the database schema (db/migration) and exits.")
final class MigrateCommand extends CliCommand {
    @Override
    public Integer call() {
        try (Database database = Database.open(context.settings(), 2)) {
            int applied = database.migrate();
            context.out().println(applied == 0 ? "schema is up to date" : "applied " + applied + " migration(s)");
        }
        return Cli.OK;
    }
}
