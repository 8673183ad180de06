package io.surveycast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The build on a JDK older than 21 stops at once with a sentence saying what to do, instead of
 * "class file has wrong version 65.0" much later. Runs the wrapper with a JDK 17 when the machine
 * has one (Debian's openjdk-17), and is skipped otherwise.
 */
class OldJdkBuildTest {
    private static final Path JDK_17 = Path.of(System.getProperty("surveycast.jdk17",
            "/usr/lib/jvm/java-17-openjdk-amd64"));

    @Test
    void validateOnJdk17SaysWhichJdkIsNeeded() throws Exception {
        assumeTrue(Files.isExecutable(JDK_17.resolve("bin/java")), "no JDK 17 at " + JDK_17);
        ProcessBuilder builder = new ProcessBuilder("./mvnw", "-q", "-o", "validate")
                .directory(Path.of("").toAbsolutePath().toFile())
                .redirectErrorStream(true);
        builder.environment().put("JAVA_HOME", JDK_17.toString());
        builder.environment().put("PATH", JDK_17.resolve("bin") + ":" + System.getenv("PATH"));
        builder.environment().remove("MAVEN_ARGS");
        Process maven = builder.start();
        String output = new String(maven.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(maven.waitFor(2, TimeUnit.MINUTES)).isTrue();

        assertThat(maven.exitValue()).as(output).isNotZero();
        assertThat(output).contains("surveycast needs JDK 21 or newer (found 17): set JAVA_HOME")
                .doesNotContain("wrong version");
    }
}
