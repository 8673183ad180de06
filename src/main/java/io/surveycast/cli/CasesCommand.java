package io.surveycast.cli;

import io.surveycast.audit.AuditLog;
import io.surveycast.config.InvalidInputException;
import io.surveycast.followup.CaseFilter;
import io.surveycast.followup.Cases;
import io.surveycast.followup.FollowUpCase;
import io.surveycast.response.ResponseNotices;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "cases", mixinStandardHelpOptions = true,
        description = "Follow-up cases: the answers someone should reach out to (every detractor by default).",
        subcommands = {CasesCommand.ListCases.class, CasesCommand.Assign.class, CasesCommand.Note.class, CasesCommand.Close.class})
final class CasesCommand {

    static Cases cases(CliContext context) {
        return Cases.of(context.database().dsl(), context.clock(), ResponseNotices.fromSettings(context.settings()).webhookUrls(),
                context.templates(), context.settings().publicUrl());
    }

    static FollowUpCase existing(long id, Supplier<FollowUpCase> action) {
        try {
            return action.get();
        } catch (Cases.NoSuchCase | Cases.Conflict e) {
            throw new InvalidInputException("ID: " + e.getMessage());
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Lists cases, overdue first, then by due time (without --status: open and in_progress).")
    static final class ListCases implements Callable<Integer> {
        private final CliContext context;

        @Option(names = "--status", paramLabel = "S", description = "open, in_progress, closed or all")
        String status;
        @Option(names = "--owner", paramLabel = "O", description = "the owner (an email address or a user name; - for unassigned)")
        String owner;
        @Option(names = "--campaign", paramLabel = "K", description = "a campaign key")
        String campaign;
        @Option(names = "--category", paramLabel = "C", description = "detractor, passive or promoter")
        String category;
        @Option(names = "--overdue", description = "only cases still open past their due time")
        boolean overdue;
        @Option(names = "--limit", paramLabel = "N", defaultValue = "1000", description = "at most N cases (default and most: 1000)")
        int limit;
        @Option(names = "--format", paramLabel = "table|json", defaultValue = "table",
                description = "table (default) or json: objects with id, response_id, external_id, campaign, category, score, "
                        + "comment, owner, status, opened_at, due_at, first_action_at, closed_at, close_reason, notes")
        String format;

        ListCases(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            if (!format.equals("table") && !format.equals("json")) {
                throw new InvalidInputException("--format: expected table or json, got " + format);
            }
            CaseFilter filter = CaseFilter.of(status, owner, campaign, category, overdue, limit, "--");
            Cases cases = cases(context);
            List<FollowUpCase> found = cases.list(filter);
            if (format.equals("json")) {
                context.out().println(Json.write(found.stream().map(FollowUpCase::json).toList()));
                return Cli.OK;
            }
            if (found.isEmpty()) {
                context.err().println("no cases");
                return Cli.OK;
            }
            Instant now = cases.now();
            String line = "%-7s %-11s %-20s %-8s %-28s %-20s %-16s %5s  %s%n";
            context.out().printf(line, "ID", "STATUS", "DUE", "", "OWNER", "CAMPAIGN", "CONTACT", "SCORE", "COMMENT");
            for (FollowUpCase c : found) {
                context.out().printf(line, c.id(), c.status(), c.dueAt().toString(), c.overdueAt(now) ? "OVERDUE" : "",
                        c.owner() == null ? "-" : c.owner(), c.campaign(), c.externalId(), c.score(), shortened(c.comment()));
            }
            return Cli.OK;
        }

        private static String shortened(String comment) {
            if (comment == null) {
                return "";
            }
            String one = comment.replaceAll("\\s+", " ");
            return one.length() <= 60 ? one : one.substring(0, 59) + "\u2026";
        }
    }

    @Command(name = "assign", mixinStandardHelpOptions = true, description = "Gives a case to an owner, who is told by email.")
    static final class Assign implements Callable<Integer> {
        private final CliContext context;
        @Parameters(index = "0", paramLabel = "ID", description = "the case id")
        long id;
        @Parameters(index = "1", paramLabel = "OWNER", description = "the new owner (an email address, or a user name)")
        String owner;

        Assign(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            FollowUpCase c = existing(id, () -> cases(context).assign(id, owner, AuditLog.cliActor()));
            context.err().println("case " + c.id() + " assigned to " + c.owner());
            return Cli.OK;
        }
    }

    @Command(name = "note", mixinStandardHelpOptions = true, description = "Adds a note to a case.")
    static final class Note implements Callable<Integer> {
        private final CliContext context;
        @Parameters(index = "0", paramLabel = "ID", description = "the case id")
        long id;
        @Parameters(index = "1", paramLabel = "TEXT", description = "the note (at most 5000 characters)")
        String text;

        Note(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            FollowUpCase c = existing(id, () -> cases(context).note(id, text, AuditLog.cliActor()));
            context.err().println("noted on case " + c.id() + " (" + c.notes().size() + " notes)");
            return Cli.OK;
        }
    }

    @Command(name = "close", mixinStandardHelpOptions = true, description = "Closes a case with a reason.")
    static final class Close implements Callable<Integer> {
        private final CliContext context;
        @Parameters(index = "0", paramLabel = "ID", description = "the case id")
        long id;
        @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "why it is closed (at most 500 characters)")
        String reason;

        Close(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            FollowUpCase c = existing(id, () -> cases(context).close(id, reason, AuditLog.cliActor()));
            context.err().println("closed case " + c.id() + ": " + c.closeReason());
            return Cli.OK;
        }
    }
}
