package io.surveycast.cli;

import io.surveycast.App;
import io.surveycast.config.Database;
import io.surveycast.config.Settings;
import io.surveycast.demo.DemoSeed;
import io.surveycast.user.Role;
import io.surveycast.user.Users;
import java.util.Map;
import picocli.CommandLine.Command;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Runs serve with a demo company: 3,000 contacts, the example campaigns and a year of answers.",
                "The demo has its own embedded PostgreSQL in SURVEYCAST_DEMO_DATA_DIR (default ./demo-data); "
                        + "email and SMS are always captured (/dev/mail, /dev/sms), never sent."})
final class DemoCommand extends CliCommand {
    @Override
    public Integer call() throws Exception {
        Settings settings = demo(context.settings());
        Database database = Database.open(settings, 24);
        database.migrate();
        var clock = context.clock();
        if (new DemoSeed(database.dsl(), clock).seedIfEmpty()) {
            context.err().println("demo company seeded");
        }
        String token = new Users(database.dsl(), clock).freshToken("demo", Role.ADMIN, "demo");
        String url = settings.publicUrl();
        App.serve(settings, database, clock, () -> context.err().println(
                "surveycast demo is listening on port " + settings.getInt("surveycast.http.port", 8080)
                        + " (database: " + database.description() + "; captured mail at /dev/mail, SMS at /dev/sms)\n"
                        + "open " + url + "/ and sign in with this token (user demo, admin; a new one at every start):\n  " + token));
        return Cli.OK;
    }

    /** Embedded everything: the demo's own database, and no real mail server or Twilio account. */
    static Settings demo(Settings settings) {
        return settings.with(Map.of(
                "surveycast.db.url", "",
                "surveycast.data-dir", settings.get("surveycast.demo.data-dir", "./demo-data"),
                "surveycast.smtp.host", "",
                "twilio.account-sid", "",
                "surveycast.webhook.urls", ""));
    }
}
