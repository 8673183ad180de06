package io.surveycast.campaign;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.surveycast.campaign.CampaignDefinition.Audience;
import io.surveycast.campaign.CampaignDefinition.Alerts;
import io.surveycast.campaign.CampaignDefinition.CaseRule;
import io.surveycast.campaign.CampaignDefinition.FollowUp;
import io.surveycast.campaign.CampaignDefinition.PromoterEmail;
import io.surveycast.campaign.CampaignDefinition.Fatigue;
import io.surveycast.campaign.CampaignDefinition.Reminder;
import io.surveycast.channel.TemplateStore;
import io.surveycast.config.OutgoingUrls;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.quartz.CronExpression;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Reads and validates campaign YAML files (one or more documents each) into typed definitions.
 * Every problem is collected with its file, line and field; a definition is returned only for
 * documents without any. Stored definitions are read back through the same fields
 * ({@link #stored}).
 */
final class CampaignYamlReader {
    static final List<String> CHANNELS = List.of("email", "sms");
    private static final List<String> TRIGGER_TYPES = List.of("onboarding", "renewal", "recurring", "event");
    private static final List<String> STATUSES = List.of("active", "paused", "archived");
    private static final Pattern KEY = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final List<String> FIELDS = List.of("key", "name", "status", "trigger", "max-lateness", "audience",
            "channels", "question", "subject", "templates", "reminders", "expires-after", "send-window", "timezone", "priority",
            "fatigue", "alerts", "follow-up");
    private static final Pattern LINK_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    private static final Set<String> ZONES = ZoneId.getAvailableZoneIds();

    private static final IsoOffset DEFAULT_MAX_LATENESS = IsoOffset.parse("P7D");
    private static final IsoOffset DEFAULT_EXPIRES_AFTER = IsoOffset.parse("P14D");

    // null in the reader of stored definitions: what they depend on outside the definition
    // (templates, the global policy, where webhooks may go) was checked when they were applied
    private final TemplateStore templates;
    private final FatiguePolicy policy;
    private final OutgoingUrls outgoing;

    record Parsed(CampaignDefinition definition, String file, int line) {
    }

    CampaignYamlReader(TemplateStore templates, FatiguePolicy policy, OutgoingUrls outgoing) {
        this.templates = java.util.Objects.requireNonNull(templates);
        this.policy = java.util.Objects.requireNonNull(policy);
        this.outgoing = java.util.Objects.requireNonNull(outgoing);
    }

    private CampaignYamlReader() {
        this.templates = null;
        this.policy = null;
        this.outgoing = null;
    }

    List<Parsed> read(Path file, YamlNode.Errors errors) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(file.toString(), reader, errors);
        } catch (IOException e) {
            errors.add(1, "file", "cannot read: " + e.getMessage());
            return List.of();
        }
    }

    /** Reads the campaigns of YAML text; {@code label} names it in errors (a file name, or the request body). */
    List<Parsed> read(String label, Reader reader, YamlNode.Errors errors) {
        List<Parsed> parsed = new ArrayList<>();
        try {
            String text = YamlLimits.readAtMost(reader, YamlLimits.MAX_CHARS + 1);
            if (text.length() > YamlLimits.MAX_CHARS) {
                errors.add(1, "yaml", "larger than " + YamlLimits.MAX_CHARS + " characters; split the campaigns into files");
                return parsed;
            }
            LoadSettings settings = YamlLimits.settings(label);
            if (!YamlLimits.withinLimits(settings, text, errors)) {
                return parsed;
            }
            Compose compose = new Compose(settings);
            for (Node document : compose.composeAllFromString(text)) {
                int before = errors.count();
                CampaignDefinition definition = campaign(new YamlNode(document, "", errors));
                if (errors.count() == before && definition != null) {
                    parsed.add(new Parsed(definition, label, new YamlNode(document, "", errors).line()));
                }
            }
        } catch (MarkedYamlEngineException e) {
            int line = e.getProblemMark().or(e::getContextMark).map(m -> m.getLine() + 1).orElse(1);
            errors.add(line, "yaml", e.getProblem() == null ? "not valid YAML" : e.getProblem());
        } catch (YamlEngineException e) {
            errors.add(1, "yaml", e.getMessage());
        } catch (java.nio.charset.CharacterCodingException e) {
            errors.add(1, "file", "not valid UTF-8 text");
        } catch (IOException e) {
            errors.add(1, "file", "cannot read: " + e.getMessage());
        }
        return parsed;
    }

    private static final CampaignYamlReader STORED = new CampaignYamlReader();
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Fields of the stored JSON whose keys are data (attribute names, languages, template slots), not field names. */
    private static final Set<String> DATA_KEYS = Set.of("match", "question", "subject", "templates", "links");
    /**
     * Stored definitions already read, by their JSON: every due-scan (once per campaign planned),
     * dispatch pass and survey answer reads them, a read costs about half a millisecond (ten times
     * Jackson's), and they only change when a campaign is applied.
     */
    private static final Cache<String, CampaignDefinition> STORED_READ = Caffeine.newBuilder().maximumSize(256).build();

    /**
     * A definition as the campaign table stores it, read back through the fields of a campaign file:
     * the stored JSON writes the fields of {@link CampaignDefinition} by their Java names
     * ({@code maxLateness}) with null where unset, which is the YAML of the same fields
     * ({@code max-lateness}) once renamed and without the nulls (JSON is YAML).
     */
    static CampaignDefinition stored(String json) {
        return STORED_READ.get(json, CampaignYamlReader::readStored);
    }

    private static CampaignDefinition readStored(String json) {
        YamlNode.Errors errors = new YamlNode.Errors("stored definition");
        CampaignDefinition definition = null;
        try {
            String yaml = JSON.writeValueAsString(yamlFields(JSON.readTree(json)));
            Node document = new Compose(YamlLimits.settings("stored definition")).composeString(yaml)
                    .orElseThrow(() -> new IllegalStateException("stored campaign definition is empty"));
            definition = STORED.campaign(new YamlNode(document, "", errors));
        } catch (JsonProcessingException | YamlEngineException e) {
            errors.add(1, "json", e.getMessage());
        }
        if (definition == null || errors.count() > 0) {
            throw new IllegalStateException("stored campaign definition is unreadable: " + String.join("; ", errors.lines()));
        }
        return definition;
    }

    private static JsonNode yamlFields(JsonNode node) {
        if (node.isArray()) {
            ArrayNode items = JSON.createArrayNode();
            node.forEach(item -> items.add(yamlFields(item)));
            return items;
        }
        if (!node.isObject()) {
            return node;
        }
        ObjectNode fields = JSON.createObjectNode();
        node.properties().forEach(field -> {
            if (!field.getValue().isNull()) {
                String name = field.getKey().replaceAll("([A-Z])", "-$1").toLowerCase(java.util.Locale.ROOT);
                fields.set(name, DATA_KEYS.contains(field.getKey()) ? field.getValue() : yamlFields(field.getValue()));
            }
        });
        return fields;
    }

    private CampaignDefinition campaign(YamlNode root) {
        Map<String, YamlNode> f = root.entries(FIELDS);
        if (!root.isMap()) {
            return null;
        }
        String key = required(root, f, "key").flatMap(n -> n.text().filter(k -> {
            if (!KEY.matcher(k).matches()) {
                n.error("use lower-case letters, digits and dashes (e.g. onboarding-nps)");
                return false;
            }
            return true;
        })).orElse(null);
        String name = required(root, f, "name").flatMap(YamlNode::text).orElse(null);
        String status = optional(f, "status").flatMap(n -> oneOf(n, STATUSES)).orElse(null);
        Function<ZoneId, CampaignTrigger> trigger = required(root, f, "trigger").map(this::trigger).orElse(null);
        IsoOffset maxLateness = optional(f, "max-lateness").flatMap(n -> offset(n, false, true)).orElse(DEFAULT_MAX_LATENESS);
        Audience audience = optional(f, "audience").map(this::audience).orElse(new Audience(Map.of(), 1.0));
        List<String> channels = required(root, f, "channels").map(this::channels).orElse(List.of());
        LocalizedText question = required(root, f, "question").map(CampaignYamlReader::localized).orElse(null);
        LocalizedText subject = optional(f, "subject").map(CampaignYamlReader::localized).orElse(null);
        IsoOffset expiresAfter = optional(f, "expires-after").flatMap(n -> offset(n, false, false)).orElse(DEFAULT_EXPIRES_AFTER);
        List<Reminder> reminders = optional(f, "reminders").map(n -> reminders(n, expiresAfter)).orElse(List.of());
        Map<String, String> templateNames = required(root, f, "templates")
                .map(n -> templates(n, channels, reminders)).orElse(Map.of());
        SendWindow sendWindow = optional(f, "send-window").flatMap(n -> n.text().flatMap(w -> {
            try {
                return Optional.of(SendWindow.parse(w));
            } catch (IllegalArgumentException e) {
                n.error(e.getMessage());
                return Optional.empty();
            }
        })).orElse(null);
        ZoneId timezone = optional(f, "timezone").flatMap(this::zone).orElse(null);
        int priority = optional(f, "priority").flatMap(n -> integer(n, Integer.MIN_VALUE)).orElse(0);
        Fatigue fatigue = optional(f, "fatigue").map(this::fatigue).orElse(new Fatigue(null, null, null));
        Alerts alerts = optional(f, "alerts").map(this::alerts).orElse(Alerts.NONE);
        FollowUp followUp = optional(f, "follow-up").map(this::followUp).orElse(FollowUp.DEFAULT);
        return new CampaignDefinition(key, name, status,
                trigger == null ? null : trigger.apply(timezone == null ? ZoneOffset.UTC : timezone), maxLateness,
                audience, channels, question, subject, templateNames, reminders, expiresAfter, sendWindow, timezone,
                priority, fatigue, alerts, followUp);
    }

    /**
     * One text ({@code question: How likely...?}) or one per language
     * ({@code question: {en: How likely...?, fr: Quelle est la probabilité...?}}): keys are language tags
     * ({@code fr}, {@code fr-CA}) or {@code default}; without {@code default}, the first one listed is the
     * text for every other locale.
     */
    private static LocalizedText localized(YamlNode node) {
        if (!node.isMap()) {
            return node.text().map(LocalizedText::of).orElse(null);
        }
        Map<String, YamlNode> entries = node.entries(null);
        if (entries.isEmpty()) {
            node.error("must not be empty: give a text, or one per language (e.g. {en: ..., fr: ...})");
            return null;
        }
        String fallback = null;
        Map<String, String> byLocale = new LinkedHashMap<>();
        Map<String, String> written = new HashMap<>();
        boolean valid = true;
        for (var entry : entries.entrySet()) {
            String key = entry.getKey();
            YamlNode value = entry.getValue();
            Optional<String> text = value.text();
            if (key.equals(LocalizedText.DEFAULT_KEY)) {
                fallback = text.orElse(null);
                valid &= text.isPresent();
                continue;
            }
            String tag = languageTag(key);
            if (tag == null) {
                value.error("not a language tag (e.g. en, fr, fr-CA) nor default");
                valid = false;
                continue;
            }
            String earlier = written.putIfAbsent(tag, key);
            if (earlier != null) {
                value.error("the same language as " + earlier);
                valid = false;
                continue;
            }
            if (text.isEmpty()) {
                valid = false;
                continue;
            }
            byLocale.put(tag, text.get());
        }
        if (!valid) {
            return null;
        }
        return new LocalizedText(fallback != null ? fallback : byLocale.values().iterator().next(), byLocale);
    }

    /** {@code fr}, {@code fr-CA}, {@code fr_ca} as {@code fr-CA}; null when not a language (two or three letters) with optional subtags. */
    private static String languageTag(String key) {
        try {
            java.util.Locale locale = new java.util.Locale.Builder().setLanguageTag(key.replace('_', '-')).build();
            int language = locale.getLanguage().length();
            return language >= 2 && language <= 3 ? LocalizedText.normalise(key) : null;
        } catch (java.util.IllformedLocaleException e) {
            return null;
        }
    }

    /** The trigger, but for the time zone its cron fires in (the campaign's, read later). */
    private Function<ZoneId, CampaignTrigger> trigger(YamlNode node) {
        Map<String, YamlNode> f = node.entries(List.of("type", "offset", "cron", "spread", "event", "delay"));
        if (!node.isMap()) {
            return null;
        }
        String type = required(node, f, "type").flatMap(n -> oneOf(n, TRIGGER_TYPES)).orElse(null);
        if (type == null) {
            return null;
        }
        List<String> allowed = switch (type) {
            case "onboarding", "renewal" -> List.of("type", "offset");
            case "recurring" -> List.of("type", "cron", "spread");
            default -> List.of("type", "event", "delay");
        };
        for (var entry : f.entrySet()) {
            if (!allowed.contains(entry.getKey())) {
                entry.getValue().error("not used by a " + type + " trigger (it takes " + String.join(", ", allowed) + ")");
            }
        }
        switch (type) {
            case "onboarding" -> {
                var offset = required(node, f, "offset").flatMap(n -> offset(n, false, true));
                return offset.isEmpty() ? null : zone -> new CampaignTrigger.Onboarding(offset.get());
            }
            case "renewal" -> {
                var offset = required(node, f, "offset").flatMap(n -> offset(n, true, true));
                return offset.isEmpty() ? null : zone -> new CampaignTrigger.Renewal(offset.get());
            }
            case "recurring" -> {
                var cron = required(node, f, "cron").flatMap(CampaignYamlReader::cron);
                IsoOffset spread = optional(f, "spread").flatMap(this::spread).orElse(null);
                return cron.isEmpty() ? null : zone -> new CampaignTrigger.Recurring(
                        new CampaignCron(cron.get().text(), cron.get().parsed(), zone), spread);
            }
            default -> {
                var event = required(node, f, "event").flatMap(YamlNode::text);
                IsoOffset delay = optional(f, "delay").flatMap(n -> offset(n, false, true)).orElse(null);
                return event.isEmpty() ? null : zone -> new CampaignTrigger.Event(event.get(), delay);
            }
        }
    }

    /** A cron as written (Quartz upper-cases what it parses) and parsed. */
    private record CronText(String text, CronExpression parsed) {
    }

    private static Optional<CronText> cron(YamlNode node) {
        return node.text().flatMap(cron -> {
            try {
                return Optional.of(new CronText(cron, CampaignCron.parse(cron)));
            } catch (ParseException e) {
                node.error("not a valid Quartz cron expression (seconds minutes hours day-of-month month day-of-week, "
                        + "e.g. \"0 0 10 ? 1,4,7,10 TUE#1\"): " + e.getMessage());
                return Optional.empty();
            }
        });
    }

    /** {@code spread: 5} (days) or an ISO duration ({@code P5D}, {@code PT12H}). */
    private Optional<IsoOffset> spread(YamlNode node) {
        Optional<String> text = node.text();
        if (text.isPresent() && text.get().matches("\\d+")) {
            return Optional.of(IsoOffset.parse("P" + text.get() + "D"));
        }
        return text.isPresent() ? offset(node, false, true) : Optional.empty();
    }

    private Audience audience(YamlNode node) {
        Map<String, YamlNode> f = node.entries(List.of("match", "sample"));
        Map<String, List<String>> match = new TreeMap<>();
        optional(f, "match").ifPresent(m -> m.entries(null).forEach((attribute, values) -> {
            List<String> accepted = values.texts();
            if (!accepted.isEmpty()) {
                match.put(attribute, List.copyOf(accepted));
            }
        }));
        double sample = optional(f, "sample").flatMap(n -> n.text().flatMap(text -> {
            try {
                double value = Double.parseDouble(text);
                if (value > 0 && value <= 1) {
                    return Optional.of(value);
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
            n.error("must be a fraction greater than 0 and at most 1 (e.g. 0.25): " + text);
            return Optional.empty();
        })).orElse(1.0);
        return new Audience(match, sample);
    }

    private List<String> channels(YamlNode node) {
        List<String> channels = new ArrayList<>();
        for (String channel : node.texts()) {
            if (!CHANNELS.contains(channel)) {
                node.error("unknown channel " + channel + " (expected " + String.join(" or ", CHANNELS) + ")");
            } else if (channels.contains(channel)) {
                node.error("channel " + channel + " appears twice");
            } else {
                channels.add(channel);
            }
        }
        return channels;
    }

    private List<Reminder> reminders(YamlNode node, IsoOffset expiresAfter) {
        List<Reminder> reminders = new ArrayList<>();
        Duration previous = Duration.ZERO;
        Duration expiry = expiresAfter.approximate();
        for (YamlNode item : node.items()) {
            Map<String, YamlNode> f = item.entries(List.of("after", "channel", "template"));
            if (!item.isMap()) {
                continue;
            }
            Optional<YamlNode> afterNode = required(item, f, "after");
            IsoOffset after = afterNode.flatMap(n -> offset(n, false, false)).orElse(null);
            String channel = required(item, f, "channel").flatMap(n -> oneOf(n, CHANNELS)).orElse(null);
            String template = optional(f, "template").flatMap(YamlNode::text).orElse(null);
            if (after != null) {
                Duration at = after.approximate();
                if (at.compareTo(previous) <= 0) {
                    afterNode.get().error("reminders must come in order, each after the previous one");
                } else if (at.compareTo(expiry) >= 0) {
                    afterNode.get().error("comes after the invitation expires (expires-after " + expiresAfter + ")");
                }
                previous = at;
            }
            if (template != null && channel != null) {
                templateProblem(f.get("template"), channel, template);
            }
            reminders.add(new Reminder(after, channel, template));
        }
        return reminders;
    }

    private Map<String, String> templates(YamlNode node, List<String> channels, List<Reminder> reminders) {
        Map<String, YamlNode> f = node.entries(List.of("email", "sms", "email-reminder", "sms-reminder"));
        Map<String, String> names = new LinkedHashMap<>();
        f.forEach((slot, value) -> value.text().ifPresent(name -> {
            String channel = slot.replace("-reminder", "");
            if (templateProblem(value, channel, name)) {
                names.put(slot, name);
            }
        }));
        List<String> needed = new ArrayList<>(channels);
        reminders.stream().filter(r -> r.channel() != null && r.template() == null).map(Reminder::channel)
                .filter(c -> !needed.contains(c)).forEach(needed::add);
        for (String channel : needed) {
            if (!f.containsKey(channel)) {
                node.error("no " + channel + " template (add templates." + channel + ")");
            }
        }
        return names;
    }

    private boolean templateProblem(YamlNode node, String channel, String name) {
        Optional<String> problem = templates == null ? Optional.empty() : templates.problem(channel, name);
        problem.ifPresent(node::error);
        return problem.isEmpty();
    }

    private Optional<ZoneId> zone(YamlNode node) {
        return node.text().flatMap(zone -> {
            if (!ZONES.contains(zone)) {
                node.error("not an IANA time zone (e.g. Europe/Paris): " + zone);
                return Optional.empty();
            }
            return Optional.of(ZoneId.of(zone));
        });
    }

    private Alerts alerts(YamlNode node) {
        Map<String, YamlNode> f = node.entries(List.of("webhook", "notify-owner", "every-comment"));
        String webhook = optional(f, "webhook").flatMap(n -> n.text().filter(url -> {
            try {
                java.net.URI uri = new java.net.URI(url);
                if (("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) && uri.getHost() != null) {
                    String refused = outgoing == null ? null : outgoing.refusal(url, false);
                    if (refused != null) {
                        n.error(refused);
                    }
                    return refused == null;
                }
            } catch (java.net.URISyntaxException ignored) {
                // reported below
            }
            n.error("not an http(s) URL: " + url);
            return false;
        })).orElse(null);
        boolean notifyOwner = optional(f, "notify-owner").flatMap(n -> oneOf(n, List.of("true", "false")))
                .map(Boolean::parseBoolean).orElse(false);
        boolean everyComment = optional(f, "every-comment").flatMap(n -> {
            Optional<String> value = oneOf(n, List.of("true", "false"));
            if (value.filter(Boolean::parseBoolean).isPresent() && !f.containsKey("webhook")) {
                n.error("needs alerts.webhook: the comments are posted there");
            }
            return value;
        }).map(Boolean::parseBoolean).orElse(false);
        return new Alerts(webhook, notifyOwner, everyComment);
    }

    private FollowUp followUp(YamlNode node) {
        Map<String, YamlNode> f = node.entries(List.of("owner", "escalate-to", "detractor", "passive", "links",
                "promoter-email"));
        String owner = optional(f, "owner").flatMap(CampaignYamlReader::email).orElse(null);
        String escalateTo = optional(f, "escalate-to").flatMap(CampaignYamlReader::email).orElse(null);
        CaseRule detractor = optional(f, "detractor").map(n -> caseRule(n, FollowUp.DETRACTOR_DEFAULT))
                .orElse(FollowUp.DETRACTOR_DEFAULT);
        CaseRule passive = optional(f, "passive").map(n -> caseRule(n, FollowUp.PASSIVE_DEFAULT))
                .orElse(FollowUp.PASSIVE_DEFAULT);
        Map<String, String> links = optional(f, "links").map(CampaignYamlReader::links).orElse(Map.of());
        PromoterEmail promoterEmail = optional(f, "promoter-email").map(this::promoterEmail).orElse(null);
        return new FollowUp(owner, escalateTo, detractor, passive, links, promoterEmail);
    }

    private static CaseRule caseRule(YamlNode node, CaseRule defaults) {
        Map<String, YamlNode> f = node.entries(List.of("case", "due"));
        boolean opens = optional(f, "case").flatMap(n -> oneOf(n, List.of("true", "false")))
                .map(Boolean::parseBoolean).orElse(defaults.opensCase());
        IsoOffset due = optional(f, "due").flatMap(n -> offset(n, false, false)).orElse(defaults.due());
        return new CaseRule(opens, due);
    }

    private static Map<String, String> links(YamlNode node) {
        Map<String, String> links = new LinkedHashMap<>();
        node.entries(null).forEach((name, value) -> {
            if (!LINK_NAME.matcher(name).matches()) {
                value.error("a link name is lower-case letters, digits and dashes (it is part of the link's URL): " + name);
            }
            value.text().ifPresent(url -> {
                if (webUrl(url)) {
                    links.put(name, url);
                } else {
                    value.error("not an http(s) URL: " + url);
                }
            });
        });
        return links;
    }

    private PromoterEmail promoterEmail(YamlNode node) {
        Map<String, YamlNode> f = node.entries(List.of("template", "after"));
        String template = required(node, f, "template").flatMap(n -> n.text()
                .filter(name -> templateProblem(n, "email", name))).orElse(null);
        IsoOffset after = optional(f, "after").flatMap(n -> offset(n, false, true)).orElse(IsoOffset.parse("PT0S"));
        return new PromoterEmail(template, after);
    }

    private static Optional<String> email(YamlNode node) {
        return node.text().filter(address -> {
            if (!EMAIL.matcher(address).matches()) {
                node.error("not an email address: " + address);
                return false;
            }
            return true;
        });
    }

    private static boolean webUrl(String url) {
        try {
            java.net.URI uri = new java.net.URI(url);
            return ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    private Fatigue fatigue(YamlNode node) {
        Map<String, YamlNode> f = node.entries(
                List.of("min-days-between-surveys", "max-surveys-per-year", "max-messages-per-week"));
        Integer minDays = optional(f, "min-days-between-surveys").flatMap(n -> integer(n, 0).filter(v ->
                policy == null || stricter(n, v >= policy.minDaysBetweenSurveys(), "at least", policy.minDaysBetweenSurveys())))
                .orElse(null);
        Integer perYear = optional(f, "max-surveys-per-year").flatMap(n -> integer(n, 1).filter(v ->
                policy == null || stricter(n, v <= policy.maxSurveysPerYear(), "at most", policy.maxSurveysPerYear())))
                .orElse(null);
        Integer perWeek = optional(f, "max-messages-per-week").flatMap(n -> integer(n, 1).filter(v ->
                policy == null || stricter(n, v <= policy.maxMessagesPerWeek(), "at most", policy.maxMessagesPerWeek())))
                .orElse(null);
        return new Fatigue(minDays, perYear, perWeek);
    }

    private static boolean stricter(YamlNode node, boolean ok, String bound, int global) {
        if (!ok) {
            node.error("a campaign may only be stricter than the global policy: must be " + bound + " " + global);
        }
        return ok;
    }

    private static Optional<Integer> integer(YamlNode node, int min) {
        return node.text().flatMap(text -> {
            try {
                int value = Integer.parseInt(text);
                if (value >= min) {
                    return Optional.of(value);
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
            node.error(min == Integer.MIN_VALUE ? "must be a whole number: " + text
                    : "must be a whole number of at least " + min + ": " + text);
            return Optional.empty();
        });
    }

    private static Optional<IsoOffset> offset(YamlNode node, boolean negativeAllowed, boolean zeroAllowed) {
        return node.text().flatMap(text -> {
            try {
                IsoOffset offset = IsoOffset.parse(text);
                if (offset.isNegative() && !negativeAllowed) {
                    node.error("must not be negative: " + text);
                } else if (offset.isZero() && !zeroAllowed) {
                    node.error("must be longer than zero: " + text);
                } else {
                    return Optional.of(offset);
                }
            } catch (IllegalArgumentException e) {
                node.error(e.getMessage());
            }
            return Optional.empty();
        });
    }

    private static Optional<String> oneOf(YamlNode node, List<String> values) {
        return node.text().filter(value -> {
            if (!values.contains(value)) {
                node.error("unknown value " + value + " (expected " + String.join(", ", values) + ")");
                return false;
            }
            return true;
        });
    }

    private static Optional<YamlNode> required(YamlNode parent, Map<String, YamlNode> fields, String name) {
        YamlNode node = fields.get(name);
        if (node == null) {
            String path = parent.path().isEmpty() ? name : parent.path() + "." + name;
            parent.errorAt(path, "is required");
        }
        return Optional.ofNullable(node);
    }

    private static Optional<YamlNode> optional(Map<String, YamlNode> fields, String name) {
        return Optional.ofNullable(fields.get(name));
    }
}
