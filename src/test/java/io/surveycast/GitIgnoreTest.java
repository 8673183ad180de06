package io.surveycast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What `serve` and `demo` write into the working directory of a clone never shows up in `git status`. */
class GitIgnoreTest {

    @Test
    void theEmbeddedDatabasesOfServeAndDemoAreIgnored() throws Exception {
        assumeTrue(Files.exists(Path.of(".git")), "not a git work tree");
        assertThat(ignored("data/postgres/PG_VERSION")).isTrue();
        assertThat(ignored("demo-data/postgres/PG_VERSION")).isTrue();
        assertThat(ignored("src/main/java/io/surveycast/App.java")).isFalse();
    }

    private static boolean ignored(String path) throws Exception {
        Process git = new ProcessBuilder("git", "check-ignore", "-q", "--no-index", path).inheritIO().start();
        assertThat(git.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(git.exitValue()).as("git check-ignore %s", path).isIn(0, 1);
        return git.exitValue() == 0;
    }
}
