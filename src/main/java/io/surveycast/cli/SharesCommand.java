package io.surveycast.cli;

import io.surveycast.audit.AuditLog;
import io.surveycast.config.InvalidInputException;
import io.surveycast.share.Shares;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "shares", mixinStandardHelpOptions = true,
        description = "Manages wall-display links: the overview, read-only, without sign-in and without personal data.",
        subcommands = {SharesCommand.Create.class, SharesCommand.ListShares.class, SharesCommand.Revoke.class})
final class SharesCommand {

    private static Shares shares(CliContext context) {
        return new Shares(context.database().dsl(), context.clock(), context.settings().publicUrl());
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Makes a link and prints its URL, once: only a hash of its token is kept.")
    static final class Create extends CliCommand {
        @Option(names = "--expires", paramLabel = "DURATION",
                description = "how long the link works, e.g. P30D or PT12H (default: until revoked)")
        String expires;

        @Override
        public Integer call() {
            Duration lifetime = parsed(expires, Duration::parse,
                    "--expires: expected a duration such as P30D or PT12H, got " + expires);
            Shares.Created created = shares(context).create(lifetime, AuditLog.cliActor());
            context.err().println("created share " + created.id()
                    + (created.expiresAt() == null ? " (until revoked)" : " (until " + created.expiresAt() + ")")
                    + "; the URL below is shown only this once:");
            context.out().println(created.url());
            return Cli.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Lists the links that work now (their URLs cut short: only a hash of each token is kept).")
    static final class ListShares extends CliCommand {
        @Option(names = "--format", paramLabel = "table|json", defaultValue = "table",
                description = "table (default) or json: objects with id, url, created_at, expires_at")
        String format;

        @Override
        public Integer call() {
            boolean json = Formats.require(format, "table", "json").equals("json");
            list(json, shares(context).list(), s -> {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("id", s.id());
                row.put("url", s.url());
                row.put("created_at", s.createdAt().toString());
                row.put("expires_at", s.expiresAt() == null ? null : s.expiresAt().toString());
                return row;
            }, "no share works now: make one with `shares create --expires P30D`", new Table<Shares.Listed>("%-6s %-22s %-22s %s%n",
                    s -> new Object[] {s.id(), s.createdAt(), s.expiresAt() == null ? "never" : s.expiresAt(), s.url()},
                    "ID", "CREATED", "EXPIRES", "URL"));
            return Cli.OK;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Stops a link at once: it answers 404 from then on.")
    static final class Revoke extends CliCommand {
        @Parameters(paramLabel = "ID", description = "the link's id (shares list)")
        String id;

        @Override
        public Integer call() {
            if (!id.matches("[0-9]{1,18}")) {
                throw new InvalidInputException("ID: expected a share's number (shares list), got " + id);
            }
            boolean changed = shares(context).revoke(Long.parseLong(id), AuditLog.cliActor());
            context.err().println(changed ? "revoked share " + id : "share " + id + " was already revoked");
            return Cli.OK;
        }
    }
}
