package io.surveycast.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.surveycast.channel.TemplateStore;
import io.surveycast.config.OutgoingUrls;
import java.io.StringReader;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.Period;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The reader returns a typed definition (a record per trigger kind, java.time amounts, a parsed cron), also for stored campaigns. */
class CampaignYamlReaderTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REST = """
            channels: [email]
            question: How likely are you to recommend us?
            templates: {email: nps-invite}
            """;

    private final CampaignYamlReader reader = new CampaignYamlReader(new TemplateStore(Optional.empty()),
            FatiguePolicy.DEFAULT, OutgoingUrls.publicOnly());

    @Test
    void anOnboardingTriggerIsAnOffsetOfDates() {
        CampaignDefinition d = read("key: a\nname: A\ntrigger: {type: onboarding, offset: P14D}\n" + REST);

        assertThat(d.trigger()).isInstanceOf(CampaignTrigger.Onboarding.class).isInstanceOf(CampaignTrigger.ContactDate.class);
        var onboarding = (CampaignTrigger.Onboarding) d.trigger();
        assertThat(onboarding.offset().period()).isEqualTo(Period.ofDays(14));
        assertThat(onboarding.offset().duration()).isZero();
        assertThat(onboarding.type()).isEqualTo("onboarding");
    }

    @Test
    void aRenewalTriggerMayComeBeforeTheDate() {
        CampaignDefinition d = read("key: a\nname: A\ntrigger: {type: renewal, offset: -P30D}\n" + REST);

        var renewal = (CampaignTrigger.Renewal) d.trigger();
        assertThat(renewal.offset().period()).isEqualTo(Period.ofDays(-30));
        assertThat(renewal.offset().isNegative()).isTrue();
        assertThat(renewal.offset().toPgInterval()).isEqualTo("0 years 0 months -30 days 0 seconds");
    }

    @Test
    void aRecurringTriggerHasItsCronParsedInTheCampaignsZone() {
        CampaignDefinition d = read("""
                key: a
                name: A
                trigger: {type: recurring, cron: "0 0 10 ? JAN,APR,JUL,OCT TUE#1", spread: 5}
                timezone: America/New_York
                """ + REST);

        var recurring = (CampaignTrigger.Recurring) d.trigger();
        assertThat(recurring.cron().zone()).isEqualTo(ZoneId.of("America/New_York"));
        assertThat(recurring.cron().expression()).isEqualTo("0 0 10 ? JAN,APR,JUL,OCT TUE#1");
        // the first Tuesday of April 2027, 10:00 in New York (EDT, UTC-4)
        assertThat(recurring.cron().nextAfter(Instant.parse("2027-03-01T00:00:00Z"))).isEqualTo("2027-04-06T14:00:00Z");
        assertThat(recurring.spread().period()).isEqualTo(Period.ofDays(5));
        assertThat(recurring.spreadLength()).isEqualTo(Duration.ofDays(5));
    }

    @Test
    void aCronWithoutTimezoneFiresInUtc() {
        CampaignDefinition d = read("key: a\nname: A\ntrigger: {type: recurring, cron: \"0 0 10 ? * MON\"}\n" + REST);

        var recurring = (CampaignTrigger.Recurring) d.trigger();
        assertThat(d.timezone()).isNull();
        assertThat(recurring.cron().nextAfter(Instant.parse("2027-03-02T00:00:00Z"))).isEqualTo("2027-03-08T10:00:00Z");
        assertThat(recurring.spread()).isNull();
        assertThat(recurring.spreadLength()).isZero();
    }

    @Test
    void anEventTriggerHasItsDelayAsADuration() {
        CampaignDefinition d = read("key: a\nname: A\ntrigger: {type: event, event: ticket-closed, delay: PT2H}\n" + REST);

        var event = (CampaignTrigger.Event) d.trigger();
        assertThat(event.event()).isEqualTo("ticket-closed");
        assertThat(event.delay().duration()).isEqualTo(Duration.ofHours(2));
        assertThat(event.delay().period()).isEqualTo(Period.ZERO);
    }

    @Test
    void windowZoneRemindersAndFatigueAreTyped() {
        CampaignDefinition d = read("""
                key: a
                name: A
                trigger: {type: onboarding, offset: P14D}
                channels: [email, sms]
                question: How likely are you to recommend us?
                templates: {email: nps-invite, sms: nps-invite}
                reminders: [{after: P3D, channel: email}, {after: PT200H, channel: sms, template: nps-reminder}]
                expires-after: P2W
                send-window: mon,wed,fri 8:30-12:00
                timezone: Asia/Tokyo
                fatigue: {min-days-between-surveys: 120}
                """);

        assertThat(d.maxLateness().period()).as("the default").isEqualTo(Period.ofDays(7));
        assertThat(d.expiresAfter().approximate()).isEqualTo(Duration.ofDays(14));
        assertThat(d.sendWindow().days()).containsExactlyInAnyOrder(DayOfWeek.MONDAY, DayOfWeek.WEDNESDAY, DayOfWeek.FRIDAY);
        assertThat(d.sendWindow().opens()).isEqualTo(LocalTime.of(8, 30));
        assertThat(d.sendWindow().closes()).isEqualTo(LocalTime.NOON);
        assertThat(d.timezone()).isEqualTo(ZoneId.of("Asia/Tokyo"));
        assertThat(d.reminders()).extracting(r -> r.after().approximate())
                .containsExactly(Duration.ofDays(3), Duration.ofHours(200));
        assertThat(d.reminders().get(1).template()).isEqualTo("nps-reminder");
        assertThat(d.fatigue().over(FatiguePolicy.DEFAULT)).isEqualTo(new FatiguePolicy(120, 4, 3));
    }

    @Test
    void aBadCronIsReportedWithItsLineAndGivesNoDefinition() {
        YamlNode.Errors errors = new YamlNode.Errors("bad.yaml");
        var parsed = reader.read("bad.yaml", new StringReader(
                "key: a\nname: A\ntrigger:\n  type: recurring\n  cron: \"0 0 10 ? * FUNDAY\"\n" + REST), errors);

        assertThat(parsed).isEmpty();
        assertThat(errors.lines()).singleElement().asString()
                .startsWith("bad.yaml:5: trigger.cron: not a valid Quartz cron expression (seconds minutes hours "
                        + "day-of-month month day-of-week, e.g. \"0 0 10 ? 1,4,7,10 TUE#1\"): ");
    }

    @Test
    void aBadDurationIsReportedWithItsLineAndGivesNoDefinition() {
        YamlNode.Errors errors = new YamlNode.Errors("bad.yaml");
        var parsed = reader.read("bad.yaml", new StringReader(
                "key: a\nname: A\ntrigger: {type: onboarding, offset: P14D}\nexpires-after: 14 days\n"
                        + "reminders: [{after: -P1D, channel: email}]\n" + REST), errors);

        assertThat(parsed).isEmpty();
        assertThat(errors.lines()).containsExactly(
                "bad.yaml:4: expires-after: not an ISO-8601 duration (e.g. P14D, -P30D, PT2H): 14 days",
                "bad.yaml:5: reminders[1].after: must not be negative: -P1D");
    }

    /** The stored JSON decides created/updated/unchanged by its hash: it is the one written before definitions were typed. */
    @Test
    void theStoredJsonIsTheOneWrittenBeforeDefinitionsWereTyped() throws Exception {
        CampaignDefinition d = read("""
                key: all-kinds
                name: Everything
                trigger: {type: renewal, offset: -p30d}
                max-lateness: p1w
                audience: {match: {planType: [pro, enterprise], region: eu}, sample: 0.25}
                channels: [sms, email]
                question: {en: How likely?, fr_ca: Quelle?}
                subject: Your opinion
                templates: {email: nps-invite, sms: nps-invite, sms-reminder: nps-reminder}
                reminders:
                  - {after: P3D, channel: email}
                  - {after: PT200H, channel: sms, template: nps-reminder}
                expires-after: P2W
                send-window: mon,wed,fri 8:30-12:00
                timezone: Europe/Paris
                priority: -5
                fatigue: {max-surveys-per-year: 2}
                alerts: {webhook: "https://hooks.example.com/x", notify-owner: true}
                """);

        // written by the string-typed definition of earlier versions
        assertThat(JSON.writeValueAsString(d)).isEqualTo("{\"key\":\"all-kinds\",\"name\":\"Everything\",\"status\":null,"
                + "\"trigger\":{\"type\":\"renewal\",\"offset\":\"-p30d\",\"cron\":null,\"spread\":null,\"event\":null,\"delay\":null},"
                + "\"maxLateness\":\"p1w\",\"audience\":{\"match\":{\"planType\":[\"pro\",\"enterprise\"],\"region\":[\"eu\"]},\"sample\":0.25},"
                + "\"channels\":[\"sms\",\"email\"],\"question\":{\"default\":\"How likely?\",\"en\":\"How likely?\",\"fr-CA\":\"Quelle?\"},"
                + "\"subject\":\"Your opinion\",\"templates\":{\"email\":\"nps-invite\",\"sms\":\"nps-invite\",\"sms-reminder\":\"nps-reminder\"},"
                + "\"reminders\":[{\"after\":\"P3D\",\"channel\":\"email\",\"template\":null},"
                + "{\"after\":\"PT200H\",\"channel\":\"sms\",\"template\":\"nps-reminder\"}],\"expiresAfter\":\"P2W\","
                + "\"sendWindow\":\"mon,wed,fri 8:30-12:00\",\"timezone\":\"Europe/Paris\",\"priority\":-5,"
                + "\"fatigue\":{\"minDaysBetweenSurveys\":null,\"maxSurveysPerYear\":2,\"maxMessagesPerWeek\":null},"
                + "\"alerts\":{\"webhook\":\"https://hooks.example.com/x\",\"notifyOwner\":true}}");
        assertThat(JSON.writeValueAsString(read("key: a\nname: A\ntrigger: {type: recurring, cron: \"0 0 10 ? * mon\", spread: 5}\n"
                + REST))).contains("\"trigger\":{\"type\":\"recurring\",\"offset\":null,\"cron\":\"0 0 10 ? * mon\","
                + "\"spread\":\"P5D\",\"event\":null,\"delay\":null}");
    }

    @Test
    void aStoredDefinitionReadsBackAsTheSameTypedDefinition() throws Exception {
        List<String> files = List.of(
                "key: a\nname: A\ntrigger: {type: onboarding, offset: P14D}\nsend-window: MON-FRI 09:00-17:00\n"
                        + "reminders: [{after: P3D, channel: email}]\nalerts: {notify-owner: true}\n" + REST,
                "key: b\nname: B\nstatus: paused\ntrigger: {type: renewal, offset: -P1M}\naudience: {match: {plan: pro}, sample: 0.5}\n"
                        + "question: {en: Hi?, fr: Salut ?}\nsubject: {default: S, fr: Objet}\ntimezone: Asia/Tokyo\n"
                        + "channels: [email]\ntemplates: {email: nps-invite}\nfatigue: {max-messages-per-week: 1}\n",
                "key: c\nname: C\ntrigger: {type: recurring, cron: \"0 0 10 ? jan,apr,jul,oct tue#1\", spread: PT12H}\n"
                        + "timezone: America/New_York\npriority: 10\n" + REST,
                "key: d\nname: D\ntrigger: {type: event, event: ticket-closed}\nmax-lateness: PT6H\n" + REST);
        // as PostgreSQL gives jsonb back: keys reordered, spaces added
        ObjectMapper jsonb = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                .enable(SerializationFeature.INDENT_OUTPUT);
        for (String file : files) {
            CampaignDefinition applied = read(file);
            String json = JSON.writeValueAsString(applied);
            String fromDatabase = jsonb.writeValueAsString(jsonb.treeToValue(JSON.readTree(json), Object.class));

            CampaignDefinition stored = CampaignDefinition.stored(fromDatabase);

            assertThat(stored).as(file).isEqualTo(applied);
            assertThat(JSON.writeValueAsString(stored)).as("the same hash").isEqualTo(json);
        }
    }

    @Test
    void aStoredDefinitionDoesNotDependOnWhatWasCheckedWhenItWasApplied() {
        // its template gone since, a stricter global policy, a private webhook address: it was valid when applied
        CampaignDefinition d = CampaignDefinition.stored("""
                {"key":"a","name":"A","status":null,"trigger":{"type":"onboarding","offset":"P14D","cron":null,
                 "spread":null,"event":null,"delay":null},"maxLateness":"P7D","audience":{"match":{},"sample":1.0},
                 "channels":["email"],"question":"Q","templates":{"email":"gone"},"reminders":[],"expiresAfter":"P14D",
                 "sendWindow":null,"timezone":null,"priority":0,
                 "fatigue":{"minDaysBetweenSurveys":10,"maxSurveysPerYear":null,"maxMessagesPerWeek":null},
                 "alerts":{"webhook":"http://10.0.0.1/hook","notifyOwner":false}}""");

        assertThat(d.templates()).containsEntry("email", "gone");
        assertThat(d.fatigue().minDaysBetweenSurveys()).isEqualTo(10);
        assertThat(d.alerts().webhook()).isEqualTo("http://10.0.0.1/hook");
    }

    @Test
    void aDefinitionStoredBeforeAlertsExistedHasNone() {
        CampaignDefinition d = CampaignDefinition.stored("""
                {"key":"a","name":"A","status":null,"trigger":{"type":"event","offset":null,"cron":null,
                 "spread":null,"event":"ticket-closed","delay":null},"maxLateness":"P7D","audience":{"match":{},"sample":1.0},
                 "channels":["email"],"question":"Q","templates":{"email":"nps-invite"},"reminders":[],"expiresAfter":"P14D",
                 "sendWindow":null,"timezone":null,"priority":0,
                 "fatigue":{"minDaysBetweenSurveys":null,"maxSurveysPerYear":null,"maxMessagesPerWeek":null}}""");

        assertThat(d.alerts()).isEqualTo(CampaignDefinition.Alerts.NONE);
    }

    @Test
    void aCampaignWithoutFollowUpOpensCasesForDetractorsIn48Hours() {
        CampaignDefinition d = read("key: a\nname: A\ntrigger: {type: event, event: x}\n" + REST);

        assertThat(d.followUp()).isEqualTo(CampaignDefinition.FollowUp.DEFAULT);
        assertThat(d.followUp().caseRule("detractor")).hasValue(new CampaignDefinition.CaseRule(true, IsoOffset.parse("PT48H")));
        assertThat(d.followUp().caseRule("passive").orElseThrow().opensCase()).isFalse();
        assertThat(d.followUp().caseRule("promoter")).isEmpty();
        assertThat(d.followUp().links()).isEmpty();
        assertThat(d.followUp().promoterEmail()).isNull();
    }

    @Test
    void theFollowUpBlockIsTypedAndStoredOnlyWhenWritten() throws Exception {
        String yaml = "key: a\nname: A\ntrigger: {type: event, event: x}\n" + REST + """
                follow-up:
                  owner: cs-team@acme.example
                  escalate-to: cs-lead@acme.example
                  detractor: {due: PT24H}
                  passive: {case: true}
                  links:
                    review: https://www.example.com/review-us
                    myReferral: https://acme.example/refer
                  promoter-email: {template: nps-invite, after: PT2H}
                """.replace("myReferral", "referral");
        CampaignDefinition d = read(yaml);

        var followUp = d.followUp();
        assertThat(followUp.owner()).isEqualTo("cs-team@acme.example");
        assertThat(followUp.escalateTo()).isEqualTo("cs-lead@acme.example");
        assertThat(followUp.detractor()).isEqualTo(new CampaignDefinition.CaseRule(true, IsoOffset.parse("PT24H")));
        assertThat(followUp.passive()).isEqualTo(new CampaignDefinition.CaseRule(true, IsoOffset.parse("P7D")));
        assertThat(followUp.links()).containsExactly(java.util.Map.entry("review", "https://www.example.com/review-us"),
                java.util.Map.entry("referral", "https://acme.example/refer"));
        assertThat(followUp.promoterEmail()).isEqualTo(new CampaignDefinition.PromoterEmail("nps-invite", IsoOffset.parse("PT2H")));

        String json = JSON.writeValueAsString(d);
        assertThat(json).contains("\"followUp\":{\"owner\":\"cs-team@acme.example\"")
                .contains("\"detractor\":{\"case\":true,\"due\":\"PT24H\"}");
        assertThat(CampaignDefinition.stored(json)).isEqualTo(d);
        assertThat(JSON.writeValueAsString(read("key: a\nname: A\ntrigger: {type: event, event: x}\n" + REST)))
                .as("a campaign without the block hashes as before it existed").doesNotContain("followUp");
    }

    @Test
    void aBadFollowUpBlockNamesEachLineAndField() {
        YamlNode.Errors errors = new YamlNode.Errors("bad.yaml");
        var parsed = reader.read("bad.yaml", new StringReader("key: a\nname: A\ntrigger: {type: event, event: x}\n" + REST + """
                follow-up:
                  owner: nobody
                  detractor: {case: maybe, due: 2 days}
                  links:
                    Review Us: https://www.example.com/review
                    referral: javascript:alert(1)
                  promoter-email: {template: no-such-template}
                  promoters: yes
                """), errors);

        assertThat(parsed).isEmpty();
        assertThat(errors.lines()).containsExactlyInAnyOrder(
                "bad.yaml:8: follow-up.owner: not an email address: nobody",
                "bad.yaml:9: follow-up.detractor.case: unknown value maybe (expected true, false)",
                "bad.yaml:9: follow-up.detractor.due: not an ISO-8601 duration (e.g. P14D, -P30D, PT2H): 2 days",
                "bad.yaml:11: follow-up.links.Review Us: a link name is lower-case letters, digits and dashes "
                        + "(it is part of the link's URL): Review Us",
                "bad.yaml:12: follow-up.links.referral: not an http(s) URL: javascript:alert(1)",
                "bad.yaml:13: follow-up.promoter-email.template: " + new TemplateStore(Optional.empty())
                        .problem("email", "no-such-template").orElseThrow(),
                "bad.yaml:14: follow-up.promoters: unknown field (expected one of owner, escalate-to, detractor, passive, "
                        + "links, promoter-email)");
    }

    @Test
    void anUnreadableStoredDefinitionIsRefusedWithWhatIsWrong() {
        assertThatThrownBy(() -> CampaignDefinition.stored("{\"key\":\"a\",\"name\":\"A\"}"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("stored campaign definition is unreadable")
                .hasMessageContaining("trigger: is required");
    }

    private CampaignDefinition read(String yaml) {
        YamlNode.Errors errors = new YamlNode.Errors("test.yaml");
        var parsed = reader.read("test.yaml", new StringReader(yaml), errors);
        assertThat(errors.lines()).isEmpty();
        assertThat(parsed).hasSize(1);
        return parsed.get(0).definition();
    }
}
