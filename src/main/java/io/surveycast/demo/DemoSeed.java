package io.surveycast.demo;

import io.surveycast.campaign.CampaignDefinition;
import io.surveycast.campaign.CampaignTrigger;
import io.surveycast.campaign.Campaigns;
import io.surveycast.campaign.FatiguePolicy;
import io.surveycast.channel.TemplateStore;
import io.surveycast.config.PackagedFiles;
import io.surveycast.contact.ContactImport;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import io.surveycast.plan.WaveSchedule;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seeds a realistic company for {@code demo}: 3,000 contacts across time zones, plans and
 * languages, the example campaigns, and a year of history before now: the quarterly waves of the
 * campaign's cron and the onboarding surveys of the year, with answers and comments, reminders, a
 * few bounces, failed sends and opt-outs, nothing after now. Deterministic (a fixed seed), and
 * done once: a database with invitations is left as it is. Some contacts were onboarded two weeks
 * ago, and a few support tickets closed two hours ago (a campaign with no send window), so live
 * sending starts at once, on any day.
 */
public final class DemoSeed {
    private static final Logger LOG = LoggerFactory.getLogger(DemoSeed.class);
    static final int CONTACTS = 3000;
    private static final String[] FIRST = {"Ava", "Ben", "Chloé", "David", "Emma", "Farid", "Grace", "Hugo", "Isla", "Jin",
        "Kofi", "Léa", "Maya", "Noah", "Olivia", "Pablo", "Quinn", "Rosa", "Sam", "Tariq", "Uma", "Victor", "Wen", "Yara", "Zoé"};
    private static final String[] LAST = {"Nguyen", "Smith", "Dubois", "García", "Okafor", "Müller", "Rossi", "Tanaka",
        "Martin", "Brown", "Kowalski", "Silva", "Johansson", "Haddad", "Lee", "Moreau", "Patel", "O'Brien", "Kim", "Wilson"};
    private static final String[][] PLACES = {{"America/New_York", "na", "en"}, {"America/Chicago", "na", "en"},
        {"America/Los_Angeles", "na", "en"}, {"Europe/London", "emea", "en"}, {"Europe/Paris", "emea", "fr"},
        {"America/Toronto", "na", "fr-CA"}, {"Australia/Sydney", "apac", "en"}, {"Asia/Tokyo", "apac", "en"}};
    private static final String[] PLANS = {"free", "free", "pro", "pro", "pro", "enterprise"};
    private static final String[] OWNERS = {"maria.lopez@acme.example", "tom.becker@acme.example", "aiko.sato@acme.example",
        "james.obi@acme.example"};
    private static final String[] PROMOTER = {"Support answers within the hour, every time.", "The reporting saves me a day a month.",
        "Onboarding was painless and the team is lovely.", "It just works. We rolled it out to three more teams.",
        "Best tool we bought this year."};
    private static final String[] PASSIVE = {"Good product, but the price went up.", "Solid, though the mobile app lags behind.",
        "Does the job. Exports could be faster.", "Fine overall; the setup took longer than promised."};
    private static final String[] DETRACTOR = {"Support took three days to answer a billing question.",
        "The last update broke our integration and nobody told us.", "Too expensive for what we use.",
        "Lots of downtime this quarter.", "The new interface is confusing and slower."};

    private final DSLContext dsl;
    private final Clock clock;
    private final DemoQueries queries = new DemoQueries();

    public DemoSeed(DSLContext dsl, Clock clock) {
        this.dsl = dsl;
        this.clock = clock;
    }

    /** Seeds an empty database; false when it already had data. */
    public boolean seedIfEmpty() {
        if (queries.seeded(dsl)) {
            return false;
        }
        Instant now = clock.instant();
        importContacts(now);
        applyCampaigns();
        history(now);
        ticketsClosed(now);
        LOG.info("demo company seeded: {} contacts, the example campaigns, a year of surveys and answers", CONTACTS);
        return true;
    }

    private void importContacts(Instant now) {
        Random random = new Random(2026);
        StringBuilder csv = new StringBuilder(
                "external_id,name,email,phone,locale,timezone,onboarded_at,renewal_date,plan,region,owner_email\n");
        LocalDate today = now.atOffset(ZoneOffset.UTC).toLocalDate();
        for (int i = 1; i <= CONTACTS; i++) {
            String first = FIRST[random.nextInt(FIRST.length)];
            String last = LAST[random.nextInt(LAST.length)];
            String[] place = PLACES[random.nextInt(PLACES.length)];
            boolean email = random.nextInt(10) < 9;
            boolean phone = !email || random.nextInt(10) < 4;
            // a few onboarded two weeks ago (their onboarding survey is due now), the rest over two years
            LocalDate onboarded = i % 100 == 0 ? today.minusDays(14) : today.minusDays(30 + random.nextInt(700));
            LocalDate renewal = onboarded.plusYears(1 + (today.toEpochDay() - onboarded.toEpochDay()) / 365);
            csv.append(String.format("acct-%04d,%s %s,%s,%s,%s,%s,%s,%s,%s,%s,%s%n", i, first, last,
                    email ? (ascii(first) + "." + ascii(last) + i + "@example.com").toLowerCase() : "",
                    phone ? "+1212555" + String.format("%04d", i) : "", place[2], place[0], onboarded, renewal,
                    PLANS[random.nextInt(PLANS.length)], place[1], OWNERS[random.nextInt(OWNERS.length)]));
        }
        try {
            Path file = Files.createTempFile("demo-contacts", ".csv");
            Files.writeString(file, csv);
            var summary = new ContactImport(dsl, clock, "US").run(file, false, "demo", line -> LOG.warn("demo contact: {}", line));
            Files.delete(file);
            LOG.info("demo contacts: {}", summary);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void applyCampaigns() {
        try {
            Path dir = Files.createTempDirectory("demo-campaigns");
            for (String name : PackagedFiles.list("campaigns")) {
                try (InputStream in = DemoSeed.class.getResourceAsStream("/campaigns/" + name)) {
                    if (in != null && name.endsWith(".yaml")) {
                        Files.copy(in, dir.resolve(name));
                    }
                }
            }
            Files.writeString(dir.resolve("support-ticket-nps.yaml"), SUPPORT_CAMPAIGN);
            new Campaigns(dsl, clock, new TemplateStore(Optional.empty()), FatiguePolicy.DEFAULT).apply(List.of(dir), false, "demo");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The quarterly waves of the past year on the dates the campaign's cron gives (the current
     * quarter's too once it has fired) and a year of onboarding surveys, answered as real customers
     * do; nothing is sent, answered, reminded or expired after {@code now}.
     */
    private void history(Instant now) {
        Random random = new Random(7);
        Map<String, Long> campaigns = queries.campaigns(dsl);
        OffsetDateTime today = now.atOffset(ZoneOffset.UTC);
        var quarterly = (CampaignTrigger.Recurring) CampaignDefinition.stored(queries.definition(dsl, "quarterly-nps")).trigger();
        WaveSchedule schedule = new WaveSchedule(quarterly.cron());
        List<Instant> waves = schedule.firesBetween(now.minus(Duration.ofDays(365)), now);
        long spreadDays = Math.max(1, quarterly.spreadLength().toDays());
        dsl.transaction(tx -> {
            DSLContext t = tx.dsl();
            for (var c : queries.contacts(t)) {
                long id = c.value1();
                boolean email = c.value2() != null;
                String channel = email ? "email" : "sms";
                int mood = random.nextInt(100); // some customers are happier than others, and stay so
                for (int w = 0; w < waves.size(); w++) {
                    if (random.nextInt(100) < 30) {
                        continue; // sampled out or not yet a customer
                    }
                    // within the wave's spread, on working days, 10:00 to 17:00 at the campaign's zone
                    ZonedDateTime fire = waves.get(w).atZone(schedule.zone());
                    ZonedDateTime day = fire.plusDays(random.nextInt((int) Math.min(spreadDays, 4)));
                    while (day.getDayOfWeek().getValue() > 5) {
                        day = day.plusDays(1);
                    }
                    OffsetDateTime sent = day.withHour(10).withMinute(0).plusMinutes(random.nextInt(7 * 60))
                            .toOffsetDateTime().withOffsetSameInstant(ZoneOffset.UTC);
                    if (sent.isAfter(today)) {
                        continue; // the rest of the wave is live sending's
                    }
                    survey(t, random, campaigns.get("quarterly-nps"), id, schedule.cycle(waves.get(w)), channel,
                            sent, mood + 5 * w, 14, today); // the product gets better quarter after quarter
                }
                OffsetDateTime onboarded = c.value4();
                if (onboarded != null && onboarded.isAfter(today.minusDays(365))) {
                    OffsetDateTime sent = onboarded.plusDays(14).withHour(15).withMinute(0);
                    while (sent.getDayOfWeek().getValue() > 5) {
                        sent = sent.plusDays(1);
                    }
                    if (sent.isBefore(today.minusDays(1))) {
                        survey(t, random, campaigns.get("onboarding-nps"), id, "onboarding", channel, sent, mood + 10, 10,
                                today);
                    }
                }
                if (random.nextInt(100) < 2 && c.value3() != null) {
                    queries.suppress(t, id, "sms", "stop", "twilio-keyword", today.minusDays(1 + random.nextInt(300)));
                }
                if (random.nextInt(100) < 1 && email) {
                    queries.suppress(t, id, "email", "unsubscribed", "one-click", today.minusDays(1 + random.nextInt(300)));
                }
            }
        });
    }

    private void survey(DSLContext t, Random random, long campaign, long contact, String cycle, String channel,
                        OffsetDateTime sent, int mood, int expiresAfterDays, OffsetDateTime now) {
        int fate = random.nextInt(100);
        if (fate < 2) {
            long inv = queries.invitation(t, campaign, contact, cycle, channel, "failed", sent, null, expiresAfterDays);
            boolean bounce = channel.equals("email");
            queries.message(t, inv, contact, 0, channel, bounce ? "bounced" : "failed", sent,
                    bounce ? "550 5.1.1 user unknown" : "twilio 30005");
            queries.suppress(t, contact, channel, "hard_bounce", bounce ? "smtp" : "twilio", sent);
            return;
        }
        boolean afterReminder = random.nextInt(100) < 30;
        OffsetDateTime answeredAt = sent.plus(Duration.ofMinutes(afterReminder ? 4 * 24 * 60 + random.nextInt(2 * 24 * 60)
                : 5 + random.nextInt(36 * 60)));
        boolean answers = fate < 2 + 38 && !answeredAt.isAfter(now); // one who will answer tomorrow has not yet
        OffsetDateTime reminderAt = sent.plusDays(4);
        boolean reminded = (!answers || afterReminder) && !reminderAt.isAfter(now);
        String status = answers ? "responded" : sent.plusDays(expiresAfterDays).isAfter(now) ? "sent" : "expired";
        long inv = queries.invitation(t, campaign, contact, cycle, channel, status, sent, answers ? answeredAt : null,
                expiresAfterDays);
        queries.message(t, inv, contact, 0, channel, channel.equals("sms") ? "delivered" : "sent", sent, null);
        if (reminded) {
            queries.message(t, inv, contact, 1, "email".equals(channel) ? "email" : "sms", "sent", reminderAt, null);
        }
        if (answers) {
            int score = score(random, mood);
            String[] comments = score >= 9 ? PROMOTER : score >= 7 ? PASSIVE : DETRACTOR;
            String comment = random.nextInt(100) < 55 ? comments[random.nextInt(comments.length)] : null;
            queries.response(t, inv, score, comment, channel, answeredAt);
        }
    }

    /**
     * The demo's own campaign: a survey after each closed support ticket, sent any day at any hour
     * (support works weekends), so a demo started on a Saturday night has mail and SMS to show at once.
     * It comes before a quarterly wave that fell due at the same time (priority 15 over 10).
     */
    static final String SUPPORT_CAMPAIGN = """
            key: support-ticket-nps
            name: Support ticket NPS (demo)
            trigger: {type: event, event: ticket_closed, delay: PT1H}
            channels: [email, sms]
            question: How likely are you to recommend Acme to a friend or colleague?
            templates: {email: nps-invite, sms: nps-invite}
            expires-after: P7D
            priority: 15
            """;

    /**
     * Support tickets closed two hours ago for a few customers nobody surveyed for 100 days: their
     * surveys are due as the demo starts. Phone-only customers across every time zone, so some are
     * outside SMS quiet hours whatever the hour.
     */
    private void ticketsClosed(Instant now) {
        var events = new io.surveycast.event.Events(dsl, clock);
        OffsetDateTime since = now.atOffset(ZoneOffset.UTC).minusDays(100);
        Instant closed = now.minus(Duration.ofHours(2));
        List<String> contacts = new ArrayList<>(queries.restedContacts(dsl, since, false, 2));
        contacts.addAll(queries.restedContacts(dsl, since, true, 3));
        for (String externalId : contacts) {
            events.record("demo-ticket-" + externalId, externalId, "ticket_closed", closed, "{}");
        }
        LOG.info("demo: {} support tickets closed, their surveys due now", contacts.size());
    }

    /** 0-10, leaning to the contact's mood: about a third promoters, a quarter detractors. */
    private static int score(Random random, int mood) {
        int base = mood >= 70 ? 9 : mood >= 35 ? 8 : 6;
        int score = base + (int) Math.round(random.nextGaussian() * 1.6);
        return Math.max(0, Math.min(10, score));
    }

    private static String ascii(String s) {
        return java.text.Normalizer.normalize(s, java.text.Normalizer.Form.NFD).replaceAll("[^A-Za-z]", "");
    }
}
