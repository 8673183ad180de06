package io.surveycast.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A scrape checked by Prometheus' own parser: {@code promtool check metrics} (Debian's
 * {@code prometheus} package; {@code .ci/run} installs it and sets SURVEYCAST_REQUIRE_PROMTOOL=1,
 * which makes it required rather than skipped). promtool exits 1 when the text does not parse, 3
 * when it only has lint remarks (Camel's camelCase labels, help texts) and 0 when clean.
 */
final class Exposition {
    static final Path PROMTOOL = Path.of("/usr/bin/promtool");
    final String text;

    Exposition(String text) throws Exception {
        this.text = text;
        if (!Files.isExecutable(PROMTOOL)) {
            if ("1".equals(System.getenv("SURVEYCAST_REQUIRE_PROMTOOL"))) {
                fail("promtool is required (SURVEYCAST_REQUIRE_PROMTOOL=1) but not at " + PROMTOOL);
            }
            Assumptions.abort("no promtool (apt-get install prometheus) to parse the exposition with");
        }
        Process p = new ProcessBuilder(PROMTOOL.toString(), "check", "metrics").redirectErrorStream(true).start();
        try (var in = p.getOutputStream()) {
            in.write(text.getBytes(StandardCharsets.UTF_8));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.getInputStream().transferTo(out);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String said = out.toString(StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as("promtool check metrics: %s", said.lines().filter(l -> l.contains("error")).findFirst()
                .orElse(said.length() > 500 ? said.substring(0, 500) : said)).isIn(0, 3);
        assertThat(said).doesNotContain("error while linting");
    }

    /** The value of the sample {@code series} (name and labels exactly as exposed, e.g. {@code a{b="c"}}). */
    double value(String series) {
        return text.lines().filter(l -> l.startsWith(series + " "))
                .map(l -> Double.parseDouble(l.substring(series.length() + 1).strip().split(" ")[0]))
                .findFirst().orElseThrow(() -> new AssertionError("no sample " + series + " in the scrape"));
    }

    boolean has(String name) {
        return text.lines().anyMatch(l -> l.startsWith(name + " ") || l.startsWith(name + "{"));
    }
}
