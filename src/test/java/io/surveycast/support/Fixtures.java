package io.surveycast.support;

import io.surveycast.campaign.Campaigns;
import io.surveycast.campaign.FatiguePolicy;
import io.surveycast.channel.TemplateStore;
import io.surveycast.contact.ContactImport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;

/** Contacts and campaigns put into a test database the way users put them: through import and apply. */
public final class Fixtures {
    private Fixtures() {
    }

    public static void contacts(DSLContext dsl, Clock clock, String csv) {
        try {
            Path file = Files.createTempFile("contacts", ".csv");
            Files.writeString(file, csv);
            var summary = new ContactImport(dsl, clock, "US").run(file, false, "test", line -> {
                throw new AssertionError("fixture row rejected: " + line);
            });
            Files.delete(file);
            if (summary.rejected() > 0) {
                throw new AssertionError("fixture rows rejected");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void campaign(DSLContext dsl, Clock clock, String yaml) {
        try {
            Path file = Files.createTempFile("campaign", ".yaml");
            Files.writeString(file, yaml);
            campaigns(dsl, clock).apply(List.of(file), false, "test");
            Files.delete(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void examples(DSLContext dsl, Clock clock) {
        campaigns(dsl, clock).apply(List.of(Path.of("campaigns")), false, "test");
    }

    /** A campaign whose alert webhook may be a local receiver (SURVEYCAST_WEBHOOK_ALLOW_PRIVATE=true). */
    public static void campaignWithLocalWebhook(DSLContext dsl, Clock clock, String yaml) {
        try {
            Path file = Files.createTempFile("campaign", ".yaml");
            Files.writeString(file, yaml);
            new Campaigns(dsl, clock, new TemplateStore(Optional.empty()), FatiguePolicy.DEFAULT,
                    new io.surveycast.config.OutgoingUrls(true)).apply(List.of(file), false, "test");
            Files.delete(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Campaigns campaigns(DSLContext dsl, Clock clock) {
        return new Campaigns(dsl, clock, new TemplateStore(Optional.empty()), FatiguePolicy.DEFAULT);
    }
}
