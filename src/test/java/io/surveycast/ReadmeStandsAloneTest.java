package io.surveycast;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** A clone has only its own files: the README sends nobody to a document outside the repository. */
class ReadmeStandsAloneTest {

    @Test
    void theReadmePointsAtNothingOutsideTheRepository() throws Exception {
        String readme = Files.readString(Path.of("README.md"));

        assertThat(readme).doesNotContain("../").doesNotContain("DESIGN.md");
        assertThat(readme).contains("### The contract").contains("PostgreSQL 13 or newer");
    }
}
