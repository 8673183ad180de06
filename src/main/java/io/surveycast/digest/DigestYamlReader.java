package io.surveycast.digest;

import io.surveycast.campaign.YamlLimits;
import io.surveycast.campaign.YamlNode;
import io.surveycast.config.OutgoingUrls;
import java.io.Reader;
import java.text.ParseException;
import java.time.Period;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.quartz.CronExpression;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Reads digest YAML (one digest per document) field by field with the campaigns' YAML machinery
 * ({@link YamlNode}, {@link YamlLimits}): every problem as {@code FILE:LINE: FIELD: reason}, a
 * definition only for a document without any.
 */
final class DigestYamlReader {
    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Pattern ATTRIBUTE = Pattern.compile("[A-Za-z0-9_.-]{1,100}");
    private static final List<String> FIELDS = List.of("digest", "cron", "timezone", "period", "filter", "to");
    private static final Set<String> ZONES = ZoneId.getAvailableZoneIds();
    static final int MAX_RECIPIENTS = 100;
    private static final Period LONGEST = Period.ofYears(1);

    record Parsed(DigestDefinition definition, String file, int line) {
    }

    private final OutgoingUrls outgoing;

    DigestYamlReader(OutgoingUrls outgoing) {
        this.outgoing = outgoing;
    }

    /** @param campaignExists whether a campaign key names a campaign (a filter's campaign must) */
    List<Parsed> read(String label, Reader reader, YamlNode.Errors errors, java.util.function.Predicate<String> campaignExists) {
        List<Parsed> parsed = new ArrayList<>();
        for (Node document : YamlLimits.documents(label, reader, errors, "digests")) {
            int before = errors.count();
            YamlNode root = new YamlNode(document, "", errors);
            Parsed digest = digest(root, label, campaignExists);
            if (errors.count() == before && digest != null) {
                parsed.add(digest);
            }
        }
        return parsed;
    }

    private Parsed digest(YamlNode root, String label, java.util.function.Predicate<String> campaignExists) {
        if (!root.isMap()) {
            root.error("expected a mapping of fields (digest, cron, timezone, period, filter, to)");
            return null;
        }
        Map<String, YamlNode> f = root.entries(FIELDS);
        String name = required(root, f, "digest").flatMap(n -> n.text().filter(text -> {
            if (!NAME.matcher(text).matches()) {
                n.error("use lower-case letters, digits and dashes, at most 63 (e.g. weekly-leadership): " + text);
                return false;
            }
            return true;
        })).orElse(null);
        String cron = required(root, f, "cron").flatMap(n -> n.text().filter(text -> {
            try {
                new CronExpression(text);
                return true;
            } catch (ParseException e) {
                n.error("not a valid Quartz cron expression (seconds minutes hours day-of-month month day-of-week, "
                        + "e.g. \"0 0 8 ? * MON\"): " + e.getMessage());
                return false;
            }
        })).orElse(null);
        String zone = Optional.ofNullable(f.get("timezone")).map(n -> n.text().filter(text -> {
            if (!ZONES.contains(text)) {
                n.error("not an IANA time zone (e.g. Europe/Paris): " + text);
                return false;
            }
            return true;
        }).orElse(null)).orElse("UTC");
        String period = Optional.ofNullable(f.get("period")).map(n -> n.text().flatMap(text -> period(n, text))
                .orElse(null)).orElse("P7D");
        String campaign = null;
        Map<String, List<String>> attributes = new LinkedHashMap<>();
        YamlNode filter = f.get("filter");
        if (filter != null) {
            Map<String, YamlNode> ff = filter.entries(List.of("campaign", "attributes"));
            YamlNode c = ff.get("campaign");
            if (c != null) {
                campaign = c.text().orElse(null);
                if (campaign != null && !campaignExists.test(campaign)) {
                    c.error("no campaign " + campaign + " (apply the campaign first)");
                }
            }
            YamlNode a = ff.get("attributes");
            if (a != null) {
                for (var e : a.entries(null).entrySet()) {
                    if (!ATTRIBUTE.matcher(e.getKey()).matches()) {
                        e.getValue().error("not an attribute name (letters, digits, . _ -)");
                        continue;
                    }
                    List<String> values = e.getValue().texts();
                    if (!values.isEmpty()) {
                        attributes.put(e.getKey(), values);
                    }
                }
            }
        }
        List<String> to = required(root, f, "to").map(this::recipients).orElse(List.of());
        if (name == null || cron == null || zone == null || period == null || to.isEmpty()) {
            return null;
        }
        return new Parsed(new DigestDefinition(name, cron, zone, period, campaign, attributes, to), label, root.line());
    }

    private static Optional<String> period(YamlNode node, String text) {
        try {
            Period p = Period.parse(text);
            if (p.isNegative() || p.isZero()) {
                node.error("must be a positive period (e.g. P7D): " + text);
                return Optional.empty();
            }
            if (p.toTotalMonths() * 31 + p.getDays() > 366) {
                node.error("at most " + LONGEST + " (a year): " + text);
                return Optional.empty();
            }
            return Optional.of(p.toString());
        } catch (DateTimeParseException e) {
            node.error("not an ISO-8601 period of days, weeks or months (e.g. P7D, P2W, P1M): " + text);
            return Optional.empty();
        }
    }

    private List<String> recipients(YamlNode node) {
        List<String> recipients = new ArrayList<>();
        List<YamlNode> items = node.isList() ? node.items() : List.of(node);
        if (node.isList() && items.isEmpty()) {
            node.error("must not be empty");
        }
        if (items.size() > MAX_RECIPIENTS) {
            node.error("at most " + MAX_RECIPIENTS + " recipients, found " + items.size());
            return List.of();
        }
        for (YamlNode item : items) {
            Optional<String> text = item.text();
            if (text.isEmpty()) {
                continue;
            }
            String recipient = text.get();
            if (DigestDefinition.isUrl(recipient)) {
                String refused = outgoing.refusal(recipient, false);
                if (refused != null) {
                    item.error(refused + ": " + recipient);
                    continue;
                }
            } else if (!isEmail(recipient)) {
                item.error("not an email address or an http(s) webhook URL: " + recipient);
                continue;
            } else {
                int at = recipient.lastIndexOf('@');
                recipient = recipient.substring(0, at) + recipient.substring(at).toLowerCase(java.util.Locale.ROOT);
            }
            if (recipients.contains(recipient)) {
                item.error("listed twice: " + recipient);
                continue;
            }
            recipients.add(recipient);
        }
        return recipients;
    }

    /**
     * An address the email channel accepts (RFC 822, strict) with a dotted domain: the contract's own
     * example is {@code ceo@acme.example}, a reserved test domain the contacts' IANA check refuses.
     */
    static boolean isEmail(String text) {
        if (text.length() > 254 || text.chars().anyMatch(c -> c <= ' ')) {
            return false;
        }
        try {
            var address = new jakarta.mail.internet.InternetAddress(text, true);
            String domain = text.substring(text.lastIndexOf('@') + 1);
            return address.getAddress().equals(text) && address.getPersonal() == null && text.indexOf('@') > 0
                    && domain.contains(".") && !domain.startsWith(".") && !domain.endsWith(".");
        } catch (jakarta.mail.internet.AddressException e) {
            return false;
        }
    }

    private static Optional<YamlNode> required(YamlNode root, Map<String, YamlNode> fields, String name) {
        YamlNode node = fields.get(name);
        if (node == null) {
            root.errorAt(name, "required");
        }
        return Optional.ofNullable(node);
    }
}
