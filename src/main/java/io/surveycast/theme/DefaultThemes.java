package io.surveycast.theme;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The default theme set shipped in the jar ({@code themes/default.yaml}). */
final class DefaultThemes {
    static final String RESOURCE = "themes/default.yaml";

    private DefaultThemes() {
    }

    static List<ThemeYamlReader.Parsed> read(Stems stems) {
        try (InputStream in = DefaultThemes.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            var errors = new ThemeYamlReader.Errors();
            var parsed = new ThemeYamlReader(stems).read(RESOURCE, new InputStreamReader(in, StandardCharsets.UTF_8), errors);
            if (!errors.isEmpty()) {
                throw new IllegalStateException("the packaged default themes are invalid: " + errors.lines());
            }
            return parsed;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<ThemeDefinition> definitions(Stems stems) {
        return read(stems).stream().map(ThemeYamlReader.Parsed::definition).toList();
    }
}
