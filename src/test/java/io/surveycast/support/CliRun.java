package io.surveycast.support;

import io.surveycast.cli.Cli;
import io.surveycast.config.Settings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;

/** Runs the command line in this JVM and keeps what it printed. */
public record CliRun(int exitCode, String out, String err) {

    public static CliRun run(Settings settings, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Cli.run(args, settings, new PrintWriter(out, true), new PrintWriter(err, true));
        return new CliRun(code, out.toString(), err.toString());
    }

    public List<String> outLines() {
        return out.isBlank() ? List.of() : Arrays.asList(out.strip().split("\\R"));
    }

    public List<String> errLines() {
        return err.isBlank() ? List.of() : Arrays.asList(err.strip().split("\\R"));
    }
}
