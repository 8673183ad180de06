package io.surveycast.cli;

import io.surveycast.audit.AuditLog;
import io.surveycast.user.Role;
import io.surveycast.user.Users;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "users", mixinStandardHelpOptions = true, description = "Manages API and dashboard users.",
        subcommands = UsersCommand.Add.class)
final class UsersCommand {

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Creates a user and prints its API token, once: only a hash of it is kept.")
    static final class Add implements Callable<Integer> {
        private final CliContext context;

        @Parameters(paramLabel = "NAME", description = "the user's name (letters, digits, . _ - @)")
        String name;

        @Option(names = "--role", required = true, paramLabel = "admin|ops|viewer",
                description = "viewer: read reports; ops: also contacts, campaigns, events; admin: also users")
        String role;

        Add(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            Role parsed;
            try {
                parsed = Role.of(role);
            } catch (IllegalArgumentException e) {
                throw new io.surveycast.config.InvalidInputException("--role: expected admin, ops or viewer, got " + role);
            }
            var created = new Users(context.database().dsl(), context.clock()).add(name, parsed, AuditLog.cliActor());
            context.err().println("created " + parsed.id() + " user " + name + "; the token below is shown only this once:");
            context.out().println(created.token());
            return Cli.OK;
        }
    }
}
