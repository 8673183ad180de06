package io.surveycast.config;

import java.util.List;

/**
 * Input a user can correct (a file, a flag, a setting). The CLI prints each line on stderr and
 * exits with code 2; nothing has been changed when it is thrown.
 */
public class InvalidInputException extends RuntimeException {
    private final List<String> lines;

    public InvalidInputException(String line) {
        this(List.of(line));
    }

    public InvalidInputException(List<String> lines) {
        super(String.join("\n", lines));
        this.lines = List.copyOf(lines);
    }

    public List<String> lines() {
        return lines;
    }
}
