package io.surveycast.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Configuration: the packaged {@code application.properties}, then an {@code application.properties}
 * in the working directory (or the file named by {@code SURVEYCAST_CONFIG}), then system
 * properties, then environment variables. A key {@code surveycast.smtp.host} is overridden by
 * the variable {@code SURVEYCAST_SMTP_HOST}: upper case, dots and dashes as underscores.
 */
public final class Settings {
    private final Properties properties;
    private final Map<String, String> env;

    private Settings(Properties properties, Map<String, String> env) {
        this.properties = properties;
        this.env = env;
    }

    public static Settings load() {
        return load(System.getenv(), System.getProperties());
    }

    public static Settings load(Map<String, String> env, Properties systemProperties) {
        Properties merged = new Properties();
        try (InputStream in = Settings.class.getResourceAsStream("/application.properties")) {
            if (in != null) {
                merged.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
            }
            Path local = Path.of(env.getOrDefault("SURVEYCAST_CONFIG", "application.properties"));
            if (Files.isRegularFile(local)) {
                try (Reader reader = Files.newBufferedReader(local)) {
                    merged.load(reader);
                }
            } else if (env.containsKey("SURVEYCAST_CONFIG")) {
                throw new InvalidInputException(local + ": configuration file not found");
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read configuration: " + e.getMessage(), e);
        }
        for (String name : systemProperties.stringPropertyNames()) {
            if (name.startsWith("surveycast.") || name.startsWith("twilio.")) {
                merged.setProperty(name, systemProperties.getProperty(name));
            }
        }
        return new Settings(merged, Map.copyOf(env));
    }

    /** Settings for tests and tools: the packaged defaults overridden by the given variables. */
    public static Settings of(Map<String, String> env) {
        return load(env, new Properties());
    }

    public static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    public Optional<String> get(String key) {
        String value = env.get(envName(key));
        if (value == null) {
            value = properties.getProperty(key);
        }
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    public String get(String key, String fallback) {
        return get(key).orElse(fallback);
    }

    public int getInt(String key, int fallback) {
        Optional<String> value = get(key);
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.get());
        } catch (NumberFormatException e) {
            throw new InvalidInputException(envName(key) + ": not a whole number: " + value.get());
        }
    }

    /** These settings with some replaced (by property name); a blank value unsets one. */
    public Settings with(Map<String, String> overrides) {
        Map<String, String> merged = new java.util.HashMap<>(env);
        overrides.forEach((key, value) -> merged.put(envName(key), value));
        return new Settings(properties, Map.copyOf(merged));
    }

    /**
     * The base of links in messages and of sign-in's same-origin check: {@code surveycast.public-url},
     * or by default {@code http://localhost:PORT} on the real HTTP port, so the printed address works.
     */
    public String publicUrl() {
        return get("surveycast.public-url", "http://localhost:" + getInt("surveycast.http.port", 8080)).replaceAll("/+$", "");
    }

    public Path dataDir() {
        return Path.of(get("surveycast.data-dir", "./data"));
    }
}
