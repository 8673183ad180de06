package io.surveycast.cli;

import io.surveycast.config.InvalidInputException;
import io.surveycast.config.Settings;
import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * The command line. Exit codes: 0 ok, 1 runtime failure, 2 invalid input or usage (each problem
 * one stderr line naming file, line and field).
 */
public final class Cli {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int INVALID = 2;

    private Cli() {
    }

    public static int run(String[] args, Settings settings) {
        return run(args, settings, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
    }

    public static int run(String[] args, Settings settings, PrintWriter out, PrintWriter err) {
        for (int i = 0; i < args.length; i++) {
            // no value with a NUL or a lone surrogate reaches the database (where it was an exit 1 with an SQL error)
            String problem = io.surveycast.config.StorableText.problem(args[i]);
            if (problem != null) {
                err.println("argument " + (i + 1) + ": " + problem);
                err.flush();
                return INVALID;
            }
        }
        try (CliContext context = new CliContext(settings, out, err)) {
            CommandLine cli = new CommandLine(SurveycastCommand.class, new Factory(context));
            cli.setOut(out);
            cli.setErr(err);
            cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
                if (e instanceof InvalidInputException invalid) {
                    invalid.lines().forEach(err::println);
                    return INVALID;
                }
                err.println("error: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
                if (settings.get("surveycast.debug").isPresent()) {
                    e.printStackTrace(err);
                }
                return FAILED;
            });
            int code = cli.execute(args);
            err.flush();
            out.flush();
            return code;
        }
    }

    /** Hands the shared context to every command that runs. */
    private record Factory(CliContext context) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> type) throws Exception {
            K created = CommandLine.defaultFactory().create(type);
            if (created instanceof CliCommand command) {
                command.context = context;
            }
            return created;
        }
    }
}
