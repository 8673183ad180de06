package io.surveycast.cli;

import io.surveycast.csv.SafeCsv;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.surveycast.audit.AuditLog;
import io.surveycast.dispatch.MessageLog;
import io.surveycast.dispatch.MessageLogEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "messages", mixinStandardHelpOptions = true,
        description = "What was sent to whom, when and why; failed messages; sending them again.",
        subcommands = {MessagesCommand.Export.class, MessagesCommand.Failed.class, MessagesCommand.Retry.class})
final class MessagesCommand {

    static MessageLog log(CliContext context) {
        return new MessageLog(context.database().dsl(), context.clock());
    }

    enum ExportFormat { csv, json }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = {"Exports every message (invites and reminders, sent or waiting), oldest first.",
                    "Columns: message_id, external_id, campaign, cycle, kind, step, channel, status, not_before, "
                            + "sent_at, provider_id, error.",
                    "--from and --to select by sent time (or planned time for messages not sent)."})
    static final class Export extends CliCommand {
        @Mixin
        Instants.Range range;

        @Option(names = "--format", paramLabel = "csv|json", defaultValue = "csv", description = "output format")
        ExportFormat format;

        @Override
        public Integer call() throws IOException {
            range.check();
            MessageLog log = log(context);
            if (format == ExportFormat.csv) {
                SafeCsv csv = new SafeCsv(context.out());
                csv.text(MessageLogEntry.COLUMNS);
                log.export(range.from, range.to, e -> csv.text(e.exportValues()));
                csv.flush();
                context.out().flush();
                return Cli.OK;
            }
            try (JsonGenerator json = new JsonFactory().createGenerator(context.out())) {
                json.writeStartArray();
                log.export(range.from, range.to, e -> {
                    try {
                        json.writeStartObject();
                        String[] values = e.exportValues();
                        for (int i = 0; i < values.length; i++) {
                            String column = MessageLogEntry.COLUMNS[i];
                            if (column.equals("message_id")) {
                                json.writeNumberField(column, e.messageId());
                            } else if (column.equals("step")) {
                                json.writeNumberField(column, e.step());
                            } else if (values[i].isEmpty() && !column.equals("external_id")) {
                                json.writeNullField(column);
                            } else {
                                json.writeStringField(column, values[i]);
                            }
                        }
                        json.writeEndObject();
                    } catch (IOException x) {
                        throw new UncheckedIOException(x);
                    }
                });
                json.writeEndArray();
            }
            context.out().println();
            return Cli.OK;
        }
    }

    @Command(name = "failed", mixinStandardHelpOptions = true,
            description = "Messages that failed for good (after their last retry, or rejected), with their last error.")
    static final class Failed extends CliCommand {
        @Mixin
        Formats.TableOrJson format;

        @Override
        public Integer call() {
            List<MessageLogEntry> failed = log(context).failed();
            if (format.json()) {
                List<Map<String, Object>> rows = new ArrayList<>();
                for (MessageLogEntry e : failed) {
                    rows.add(e.failedRow());
                }
                context.out().println(Json.write(rows));
                return Cli.OK;
            }
            context.out().printf("%-10s %-16s %-18s %-9s %-6s %-8s %s%n", "ID", "EXTERNAL_ID", "CAMPAIGN", "KIND",
                    "CHAN", "ATTEMPTS", "ERROR");
            for (MessageLogEntry e : failed) {
                context.out().printf("%-10d %-16s %-18s %-9s %-6s %-8d %s%n", e.messageId(), e.externalId(), e.campaign(),
                        e.kind() + (e.step() > 0 ? " " + e.step() : ""), e.channel(), e.attempts(), e.error());
            }
            context.err().println(failed.size() + " failed");
            return Cli.OK;
        }
    }

    @Command(name = "retry", mixinStandardHelpOptions = true,
            description = {"Puts failed messages back in the queue, to be sent at once.",
                    "Consent and the other checks before sending apply again. Prints `requeued N`."})
    static final class Retry extends CliCommand {
        @ArgGroup(multiplicity = "1")
        Which which;

        static final class Which {
            @Option(names = "--all", required = true, description = "every failed message")
            boolean all;

            @Parameters(paramLabel = "ID", arity = "1..*", description = "message ids (from `messages failed`)")
            List<Long> ids;
        }

        @Override
        public Integer call() {
            List<Long> requeued = log(context).retry(which.all ? null : which.ids, AuditLog.cliActor());
            context.out().println("requeued " + requeued.size());
            return Cli.OK;
        }
    }
}
