package io.surveycast.cli;

import io.surveycast.config.InvalidInputException;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;

/** A command that runs; {@link Cli}'s factory hands it the shared context when it is made. */
abstract class CliCommand implements Callable<Integer> {
    CliContext context;

    /** An option's {@code text} parsed (null without one); stops with {@code problem} when it is not a date or duration. */
    static <T> T parsed(String text, Function<String, T> parse, String problem) {
        if (text == null) {
            return null;
        }
        try {
            return parse.apply(text);
        } catch (DateTimeParseException e) {
            throw new InvalidInputException(problem);
        }
    }

    /**
     * Prints a list: with {@code json} every item as JSON; else {@code none} on stderr when there is
     * no item (with {@code none} null, the table's header alone), or the table.
     */
    <T> void list(boolean json, List<T> items, Function<? super T, Object> toJson, String none, Table<T> table) {
        if (json) {
            context.out().println(Json.write(items.stream().map(toJson).toList()));
        } else if (items.isEmpty() && none != null) {
            context.err().println(none);
        } else {
            table.print(context.out(), items);
        }
    }
}
