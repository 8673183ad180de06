package io.surveycast.cli;

import java.util.concurrent.Callable;

/** A command that runs; {@link Cli}'s factory hands it the shared context when it is made. */
abstract class CliCommand implements Callable<Integer> {
    CliContext context;
}
