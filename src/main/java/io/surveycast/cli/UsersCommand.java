package io.surveycast.cli;

import io.surveycast.audit.AuditLog;
import io.surveycast.user.Role;
import io.surveycast.user.Users;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "users", mixinStandardHelpOptions = true, description = "Manages API and dashboard users.",
        subcommands = {UsersCommand.Add.class, UsersCommand.ListUsers.class, UsersCommand.Disable.class,
                UsersCommand.Enable.class, UsersCommand.Rotate.class})
final class UsersCommand {

    static Users users(CliContext context) {
        return new Users(context.database().dsl(), context.clock());
    }

    /** A change to one user, named by the command's NAME. */
    abstract static class NamedUser extends CliCommand {
        @Parameters(paramLabel = "NAME", description = "the user's name")
        String name;
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Creates a user and prints its API token, once: only a hash of it is kept.")
    static final class Add extends CliCommand {
        @Parameters(paramLabel = "NAME", description = "the user's name (letters, digits, . _ - @)")
        String name;

        @Option(names = "--role", required = true, paramLabel = "admin|ops|viewer",
                description = "viewer: read reports; ops: also contacts, campaigns, events; admin: also users")
        String role;

        @Override
        public Integer call() {
            Role parsed;
            try {
                parsed = Role.of(role);
            } catch (IllegalArgumentException e) {
                throw new io.surveycast.config.InvalidInputException("--role: expected admin, ops or viewer, got " + role);
            }
            var created = users(context).add(name, parsed, AuditLog.cliActor());
            context.err().println("created " + parsed.id() + " user " + name + "; the token below is shown only this once:");
            context.out().println(created.token());
            return Cli.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists users (never their tokens).")
    static final class ListUsers extends CliCommand {
        @Option(names = "--format", paramLabel = "table|json", defaultValue = "table",
                description = "table (default) or json: objects with name, role, created_at, disabled")
        String format;

        @Override
        public Integer call() {
            if (!format.equals("table") && !format.equals("json")) {
                throw new io.surveycast.config.InvalidInputException("--format: expected table or json, got " + format);
            }
            List<Users.Listed> all = new Users(context.database().dsl(), context.clock()).list();
            if (format.equals("json")) {
                context.out().println(Json.write(all.stream().map(Users.Listed::json).toList()));
                return Cli.OK;
            }
            if (all.isEmpty()) {
                context.err().println("no users yet: add one with `users add NAME --role admin`");
                return Cli.OK;
            }
            String line = "%-32s %-7s %-9s %s%n";
            context.out().printf(line, "NAME", "ROLE", "STATUS", "CREATED");
            for (Users.Listed u : all) {
                context.out().printf(line, u.name(), u.role().id(), u.disabled() ? "disabled" : "active", u.createdAt());
            }
            return Cli.OK;
        }
    }

    /** Disabling or enabling a user: the change, and the line for done and for nothing to do ({@code %s}: the name). */
    abstract static class Switch extends NamedUser {
        private final Change change;
        private final String done;
        private final String unchanged;

        interface Change {
            boolean apply(Users users, String name, String actor);
        }

        Switch(Change change, String done, String unchanged) {
            this.change = change;
            this.done = done;
            this.unchanged = unchanged;
        }

        @Override
        public Integer call() {
            boolean changed = change.apply(users(context), name, AuditLog.cliActor());
            context.err().println((changed ? done : unchanged).replace("%s", name));
            return Cli.OK;
        }
    }

    @Command(name = "disable", mixinStandardHelpOptions = true,
            description = "Disables a user: their token and dashboard sessions stop working at once.")
    static final class Disable extends Switch {
        Disable() {
            super(Users::disable, "disabled user %s", "user %s was already disabled");
        }
    }

    @Command(name = "enable", mixinStandardHelpOptions = true,
            description = "Enables a disabled user again: their token works again (sessions must be opened anew).")
    static final class Enable extends Switch {
        Enable() {
            super(Users::enable, "enabled user %s", "user %s was not disabled");
        }
    }

    @Command(name = "rotate", mixinStandardHelpOptions = true,
            description = "Gives a user a new token and prints it, once; the old token and its sessions stop working at once.")
    static final class Rotate extends NamedUser {
        @Override
        public Integer call() {
            var rotated = users(context).rotate(name, AuditLog.cliActor());
            context.err().println("new token for " + rotated.user().role().id() + " user " + name
                    + "; the old one no longer works; the token below is shown only this once:");
            context.out().println(rotated.token());
            return Cli.OK;
        }
    }
}
