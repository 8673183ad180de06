package io.surveycast.cli;

import io.surveycast.channel.TemplateStore;
import io.surveycast.config.ClockFactory;
import io.surveycast.config.Database;
import io.surveycast.config.Settings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;

/** What commands share: settings, output streams, and the database, opened (and migrated) on first use. */
final class CliContext implements AutoCloseable {
    private final Settings settings;
    private final PrintWriter out;
    private final PrintWriter err;
    private Database database;
    private Clock clock;

    CliContext(Settings settings, PrintWriter out, PrintWriter err) {
        this.settings = settings;
        this.out = out;
        this.err = err;
    }

    Settings settings() {
        return settings;
    }

    PrintWriter out() {
        return out;
    }

    PrintWriter err() {
        return err;
    }

    Clock clock() {
        if (clock == null) {
            clock = ClockFactory.fromSettings(settings);
        }
        return clock;
    }

    /** The database with every migration applied. */
    Database database(int poolSize) {
        if (database == null) {
            clock(); // a bad SURVEYCAST_CLOCK is reported before anything starts
            database = Database.open(settings, poolSize);
            database.migrate();
        }
        return database;
    }

    Database database() {
        return database(4);
    }

    io.surveycast.plan.Planner planner() {
        return new io.surveycast.plan.Planner(io.surveycast.campaign.FatiguePolicy.fromSettings(settings));
    }

    io.surveycast.schedule.DueRunner dueRunner() {
        return new io.surveycast.schedule.DueRunner(database().dsl(), planner());
    }

    TemplateStore templates() {
        return new TemplateStore(settings.get("surveycast.templates-dir").map(Path::of));
    }

    @Override
    public void close() {
        if (database != null) {
            database.close();
        }
    }
}
