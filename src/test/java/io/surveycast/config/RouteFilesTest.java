package io.surveycast.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RouteFilesTest {

    @Test
    void packagedRoutesAreLoadedByDefault() {
        assertThat(RouteFiles.packaged()).contains("health.camel.yaml", "api.camel.yaml", "errors.camel.yaml");
        assertThat(RouteFiles.includePattern(Optional.empty(), n -> true).split(","))
                .contains("classpath:routes/health.camel.yaml", "classpath:routes/errors.camel.yaml");
    }

    @Test
    void aFileInTheOverrideDirectoryReplacesThePackagedOneOfTheSameNameAndNewFilesAreAdded(@TempDir Path dir)
            throws Exception {
        Files.writeString(dir.resolve("health.camel.yaml"), "# mine\n");
        Files.writeString(dir.resolve("extra.camel.yaml"), "# more\n");
        Files.writeString(dir.resolve("notes.txt"), "ignored\n");

        List<String> patterns = List.of(RouteFiles.includePattern(Optional.of(dir), n -> true).split(","));

        assertThat(patterns).contains("file:" + dir.resolve("health.camel.yaml"), "file:" + dir.resolve("extra.camel.yaml"),
                "classpath:routes/api.camel.yaml");
        assertThat(patterns).doesNotContain("classpath:routes/health.camel.yaml").noneMatch(p -> p.endsWith("notes.txt"));
        assertThatThrownBy(() -> RouteFiles.includePattern(Optional.of(dir.resolve("missing")), n -> true))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("SURVEYCAST_ROUTES_DIR");
    }
}
