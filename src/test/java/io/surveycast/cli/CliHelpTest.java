package io.surveycast.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every command's --help renders without a picocli warning, and its description is made of whole
 * sentences: the first is the summary shown in its parent's command list, so it must not stop mid-sentence.
 */
class CliHelpTest {

    @Test
    void everyCommandsHelpIsCleanAndSpeaksInWholeSentences() {
        List<CommandLine> all = new ArrayList<>();
        // built without a context: help never runs a command
        collect(new CommandLine(SurveycastCommand.class), all);
        assertThat(all).hasSizeGreaterThan(15);
        PrintStream stderr = System.err;
        ByteArrayOutputStream warnings = new ByteArrayOutputStream();
        System.setErr(new PrintStream(warnings, true, StandardCharsets.UTF_8));
        try {
            for (CommandLine command : all) {
                String name = command.getCommandSpec().qualifiedName();
                String usage = command.getUsageMessage();
                assertThat(usage).as(name).startsWith("Usage: " + name);
                String[] description = command.getCommandSpec().usageMessage().description();
                assertThat(description).as(name).isNotEmpty();
                for (String paragraph : description) {
                    assertThat(paragraph.strip()).as(name + ": " + paragraph).endsWith(".");
                    // picocli formats descriptions: a lone % is its "Could not format" warning
                    org.assertj.core.api.Assertions.assertThatCode(() -> String.format(paragraph))
                            .as(name + ": " + paragraph).doesNotThrowAnyException();
                }
            }
        } finally {
            System.setErr(stderr);
        }
        assertThat(warnings.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    private static void collect(CommandLine command, List<CommandLine> into) {
        into.add(command);
        command.getSubcommands().values().stream().distinct().forEach(sub -> collect(sub, into));
    }
}
