package io.surveycast.cli;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;

/** A command that runs; {@link Cli}'s factory hands it the shared context when it is made. */
abstract class CliCommand implements Callable<Integer> {
    CliContext context;

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
