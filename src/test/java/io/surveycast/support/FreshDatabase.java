package io.surveycast.support;

import io.surveycast.config.Database;
import io.surveycast.config.Settings;
import java.util.Map;
import org.jooq.DSLContext;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A new migrated database for each test, with settings pointing at it:
 * {@code @RegisterExtension final FreshDatabase db = new FreshDatabase(Map.of(...));}
 */
public final class FreshDatabase implements BeforeEachCallback, AfterEachCallback {
    private final Map<String, String> env;
    private Settings settings;
    private String url;
    private Database database;

    public FreshDatabase() {
        this(Map.of());
    }

    public FreshDatabase(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        url = TestDatabase.freshUrl();
        settings = TestDatabase.settings(url, env);
        database = TestDatabase.open(url);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        database.close();
    }

    public Settings settings() {
        return settings;
    }

    /** The settings of this database with more variables (SMTP server, rates, ...). */
    public Settings settings(Map<String, String> more) {
        Map<String, String> all = new java.util.HashMap<>(env);
        all.putAll(more);
        return TestDatabase.settings(url, all);
    }

    public Database database() {
        return database;
    }

    public DSLContext dsl() {
        return database.dsl();
    }
}
