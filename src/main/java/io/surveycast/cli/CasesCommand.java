package io.surveycast.cli;

import static io.surveycast.cli.Table.dash;
import static io.surveycast.cli.Table.row;

import io.surveycast.audit.AuditLog;
import io.surveycast.config.InvalidInputException;
import io.surveycast.csv.SafeCsv;
import io.surveycast.followup.CaseFilter;
import io.surveycast.followup.CaseReport;
import io.surveycast.followup.CaseReportRow;
import io.surveycast.followup.Cases;
import io.surveycast.followup.FollowUpCase;
import io.surveycast.response.ResponseNotices;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "cases", mixinStandardHelpOptions = true,
        description = "Follow-up cases: the answers someone should reach out to (every detractor by default).",
        subcommands = {CasesCommand.ListCases.class, CasesCommand.Assign.class, CasesCommand.Note.class, CasesCommand.Close.class,
            CasesCommand.Report.class})
final class CasesCommand {

    static Cases cases(CliContext context) {
        return Cases.of(context.database().dsl(), context.clock(), ResponseNotices.fromSettings(context.settings()).webhookUrls(),
                context.templates(), context.settings().publicUrl());
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Lists cases, overdue first, then by due time (without --status: open and in_progress).")
    static final class ListCases extends CliCommand {
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

        @Override
        public Integer call() {
            boolean json = Formats.require(format, "table", "json").equals("json");
            CaseFilter filter = CaseFilter.of(status, owner, campaign, category, overdue, limit, "--");
            Cases cases = cases(context);
            List<FollowUpCase> found = cases.list(filter);
            Instant now = cases.now();
            list(json, found, FollowUpCase::json, "no cases", new Table<FollowUpCase>(
                    "%-7s %-11s %-20s %-8s %-28s %-20s %-16s %5s  %s%n",
                    c -> new Object[] {c.id(), c.status(), c.dueAt().toString(), c.overdueAt(now) ? "OVERDUE" : "",
                        c.owner() == null ? "-" : c.owner(), c.campaign(), c.externalId(), c.score(), shortened(c.comment())},
                    "ID", "STATUS", "DUE", "", "OWNER", "CAMPAIGN", "CONTACT", "SCORE", "COMMENT"));
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

    /** A change to one case ({@code cases assign|note|close ID ...}): what it does and the line it prints. */
    abstract static class CaseChange extends CliCommand {
        @Parameters(index = "0", paramLabel = "ID", description = "the case id")
        long id;

        /** Does the change as {@code actor} and says what was done. */
        abstract String change(Cases cases, long id, String actor);

        @Override
        public Integer call() {
            try {
                context.err().println(change(cases(context), id, AuditLog.cliActor()));
            } catch (Cases.NoSuchCase | Cases.Conflict e) {
                throw new InvalidInputException("ID: " + e.getMessage());
            }
            return Cli.OK;
        }
    }

    @Command(name = "assign", mixinStandardHelpOptions = true, description = "Gives a case to an owner, who is told by email.")
    static final class Assign extends CaseChange {
        @Parameters(index = "1", paramLabel = "OWNER", description = "the new owner (an email address, or a user name)")
        String owner;

        @Override
        String change(Cases cases, long id, String actor) {
            FollowUpCase c = cases.assign(id, owner, actor);
            return "case " + c.id() + " assigned to " + c.owner();
        }
    }

    @Command(name = "note", mixinStandardHelpOptions = true, description = "Adds a note to a case.")
    static final class Note extends CaseChange {
        @Parameters(index = "1", paramLabel = "TEXT", description = "the note (at most 5000 characters)")
        String text;

        @Override
        String change(Cases cases, long id, String actor) {
            FollowUpCase c = cases.note(id, text, actor);
            return "noted on case " + c.id() + " (" + c.notes().size() + " notes)";
        }
    }

    @Command(name = "close", mixinStandardHelpOptions = true, description = "Closes a case with a reason.")
    static final class Close extends CaseChange {
        @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "why it is closed (at most 500 characters)")
        String reason;

        @Override
        String change(Cases cases, long id, String actor) {
            FollowUpCase c = cases.close(id, reason, actor);
            return "closed case " + c.id() + ": " + c.closeReason();
        }
    }

    @Command(name = "report", mixinStandardHelpOptions = true,
            description = {"Measures the loop: the cases opened in a period (UTC days, both inclusive) as they stand now, "
                    + "per owner, campaign or category.",
                    "opened = closed + open; overdue: still open past the due time; closed_within_due: percent of the cases "
                            + "closed by a person or overdue that were closed by their due time (score_changed closes are "
                            + "surveycast's, left out of it and of median_hours_to_close); median hours from opening to the "
                            + "first action (note, status change or assignment) and to the close.",
                    "Recovery: detractors_resurveyed = cases whose answer is 0-6 and whose contact answered again later to "
                            + "another invitation (a later cycle of any campaign); recovered = those whose next answer is 7-10; "
                            + "recovery_rate = percent of the re-surveyed."})
    static final class Report extends CliCommand {
        @Option(names = "--from", paramLabel = "D", description = "first day the cases were opened, YYYY-MM-DD (UTC)")
        String from;
        @Option(names = "--to", paramLabel = "D", description = "last day, YYYY-MM-DD (UTC), inclusive")
        String to;
        @Option(names = "--by", paramLabel = "owner|campaign|category", description = "grouping (default: one row, all)")
        String by;
        @Option(names = "--format", paramLabel = "table|csv|json", defaultValue = "table", description = "output format")
        String format;

        @Override
        public Integer call() throws java.io.IOException {
            Formats.require(format, "table", "csv", "json");
            List<CaseReportRow> rows = cases(context).report(CaseReport.query(from, to, by, "--"));
            switch (format) {
                case "json" -> context.out().println(Json.write(rows.stream().map(CaseReportRow::json).toList()));
                case "csv" -> {
                    SafeCsv csv = new SafeCsv(context.out());
                    csv.text(CaseReportRow.COLUMNS);
                    rows.forEach(r -> csv.values(r.values()));
                    csv.flush();
                    context.out().flush();
                }
                default -> table(rows);
            }
            return Cli.OK;
        }

        private void table(List<CaseReportRow> rows) {
            if (rows.isEmpty()) {
                context.err().println("no cases opened in that period");
                return;
            }
            String line = "%-28s %7s %7s %7s %8s %9s %11s %10s %10s %9s %10s";
            PrintWriter out = context.out();
            row(out, line, "GROUP", "OPENED", "CLOSED", "OPEN", "OVERDUE", "IN DUE %", "H TO ACTION", "H TO CLOSE",
                    "RESURVEYED", "RECOVERED", "RECOVERY %");
            for (CaseReportRow r : rows) {
                row(out, line, r.group(), r.opened(), r.closed(), r.open(), r.overdue(),
                        dash(r.closedWithinDue()), dash(r.medianHoursToFirstAction()),
                        dash(r.medianHoursToClose()), r.detractorsResurveyed(), r.recovered(),
                        dash(r.recoveryRate()));
            }
        }
    }
}
