package io.surveycast.dispatch;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.surveycast.campaign.CampaignDefinition;
import io.surveycast.channel.OutboundMessage;
import io.surveycast.channel.TemplateStore;
import io.surveycast.plan.PlanCampaign;
import io.surveycast.promoter.FollowUpLinks;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a claimed message into what a channel sends: the campaign's template for the step in the
 * contact's locale, the eleven score links and the unsubscribe link under the public URL (and for the
 * promoter follow-up email its own template and the campaign's follow-up links), and for email the
 * List-Unsubscribe headers (RFC 2369, one-click RFC 8058) and a stable Message-ID.
 */
final class MessageRenderer {
    private static final ObjectReader ATTRIBUTES = new ObjectMapper().readerFor(new TypeReference<Map<String, Object>>() { });
    private final TemplateStore templates;
    private final String publicUrl;
    private final String company;
    private final String mailFrom;
    private final String mailDomain;

    MessageRenderer(TemplateStore templates, String publicUrl, String company, String mailFrom) {
        this.templates = templates;
        this.publicUrl = publicUrl.replaceAll("/+$", "");
        this.company = company;
        this.mailFrom = address(mailFrom);
        this.mailDomain = this.mailFrom.substring(this.mailFrom.indexOf('@') + 1);
    }

    OutboundMessage render(ClaimedMessage m, PlanCampaign campaign, Instant now) {
        CampaignDefinition definition = campaign.definition();
        String template = templateName(definition, m);
        Map<String, Object> model = model(m, definition);
        if (m.channel().equals("sms")) {
            String text = templates.render("sms", template, m.locale(), "txt", model).strip().replaceAll("\\s*\\n\\s*", " ");
            return new OutboundMessage(m.id(), "sms", m.phone(), m.name(), null, text, null, Map.of(), null, now,
                    m.attempts());
        }
        String text = templates.render("email", template, m.locale(), "txt", model).strip() + "\n";
        String html = templates.render("email", template, m.locale(), "html", model);
        Map<String, String> headers = new LinkedHashMap<>();
        String unsubscribe = (String) model.get("unsubscribeUrl");
        String mailto = "mailto:" + mailFrom + "?subject="
                + URLEncoder.encode("unsubscribe " + m.token(), StandardCharsets.UTF_8).replace("+", "%20");
        headers.put("List-Unsubscribe", "<" + unsubscribe + ">, <" + mailto + ">");
        headers.put("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        headers.put("Auto-Submitted", "auto-generated");
        headers.put("X-Auto-Response-Suppress", "OOF, AutoReply");
        String subject = subject(definition, m);
        return new OutboundMessage(m.id(), "email", m.email(), m.name(), subject, text, html, headers,
                messageId(m), now);
    }

    /**
     * The campaign's subject (else its question) in the contact's language; a reminder's is worded by
     * {@code templates/email/subject[.LOCALE].properties} ({@code reminder=Reminder: {subject}}).
     */
    private String subject(CampaignDefinition definition, ClaimedMessage m) {
        String subject = (definition.subject() == null ? definition.question() : definition.subject()).in(m.locale());
        if (m.isInvite()) {
            return subject;
        }
        if (m.isPromoterEmail()) {
            return templates.text("email/subject", m.locale()).getOrDefault("promoter", "Thank you from {company}")
                    .replace("{company}", company).replace("{subject}", subject);
        }
        return templates.text("email/subject", m.locale()).getOrDefault("reminder", "Reminder: {subject}")
                .replace("{subject}", subject);
    }

    /** {@code <m123.i45@example.com>}: the same for every attempt of a message, so a retry is recognisable. */
    String messageId(ClaimedMessage m) {
        return "<m" + m.id() + ".i" + m.invitationId() + "@" + mailDomain + ">";
    }

    static String templateName(CampaignDefinition definition, ClaimedMessage m) {
        if (m.isInvite()) {
            return definition.templates().get(m.channel());
        }
        if (m.isPromoterEmail()) {
            var email = definition.followUp().promoterEmail();
            if (email == null) {
                throw new IllegalStateException("the campaign has no follow-up.promoter-email any more");
            }
            return email.template();
        }
        var reminder = definition.reminders().get(m.step() - 1);
        if (reminder.template() != null) {
            return reminder.template();
        }
        return definition.templates().getOrDefault(m.channel() + "-reminder", definition.templates().get(m.channel()));
    }

    private Map<String, Object> model(ClaimedMessage m, CampaignDefinition definition) {
        String survey = publicUrl + "/s/" + m.token();
        // an email's links name the message (an answer is credited to the message that led to it);
        // an SMS keeps the short link: its answers are the SMS's own
        String via = m.channel().equals("email") ? "&via=" + m.id() : "";
        List<String> scores = new ArrayList<>(11);
        for (int score = 0; score <= 10; score++) {
            scores.add(survey + "?score=" + score + via);
        }
        if (!via.isEmpty()) {
            survey = survey + "?via=" + m.id();
        }
        Map<String, Object> contact = new HashMap<>();
        contact.put("name", m.name() == null ? "" : m.name());
        contact.put("email", m.email() == null ? "" : m.email());
        contact.put("phone", m.phone() == null ? "" : m.phone());
        contact.put("externalId", m.externalId());
        contact.put("locale", m.locale() == null ? "" : m.locale());
        contact.put("attributes", attributes(m.attributesJson()));
        Map<String, Object> model = new HashMap<>();
        model.put("contact", contact);
        model.put("company", company);
        model.put("question", definition.question().in(m.locale()));
        model.put("scoreUrls", scores);
        model.put("surveyUrl", survey);
        model.put("unsubscribeUrl", publicUrl + "/u/" + m.token());
        model.put("reminder", m.kind().equals("reminder"));
        // the campaign's follow-up links, each through /r/{token}/{link} so its clicks are counted
        model.put("links", m.isPromoterEmail()
                ? FollowUpLinks.urls(publicUrl, m.token(), definition.followUp().links()) : Map.of());
        model.put("score", m.score() == null ? -1 : m.score());
        model.put("campaign", Map.of("key", definition.key(), "name", definition.name()));
        return model;
    }

    /** Parsed only if a template reads an attribute: most do not, and parsing JSON per message adds up. */
    private static Map<String, Object> attributes(String json) {
        if (json == null) {
            return Map.of();
        }
        return new java.util.AbstractMap<>() {
            private Map<String, Object> parsed;

            @Override
            public Set<Entry<String, Object>> entrySet() {
                if (parsed == null) {
                    try {
                        parsed = ATTRIBUTES.readValue(json);
                    } catch (IOException e) {
                        parsed = Map.of();
                    }
                }
                return parsed.entrySet();
            }

            @Override
            public Object get(Object key) {
                entrySet();
                return parsed.get(key);
            }

            @Override
            public boolean containsKey(Object key) {
                entrySet();
                return parsed.containsKey(key);
            }
        };
    }

    private static String address(String from) {
        try {
            return new jakarta.mail.internet.InternetAddress(from, true).getAddress();
        } catch (jakarta.mail.internet.AddressException e) {
            throw new IllegalArgumentException("SURVEYCAST_MAIL_FROM: " + from + " is not an email address", e);
        }
    }
}
