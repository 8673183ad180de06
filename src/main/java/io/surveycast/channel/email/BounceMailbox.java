package io.surveycast.channel.email;

import io.surveycast.config.InvalidInputException;
import io.surveycast.config.Settings;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The bounce mailbox, {@code SURVEYCAST_BOUNCE_IMAP_*}: where delivery status notifications,
 * complaints and mailto unsubscribes arrive. Unset host: no mailbox is read. {@link #routeProperties}
 * gives the placeholders of {@code routes/bounces.camel.yaml}.
 */
public record BounceMailbox(String host, int port, String username, String password, String tls, String folder,
                            boolean delete, Duration interval, String trust) {

    /** The configured mailbox, or null when no host is set. */
    public static BounceMailbox fromSettings(Settings settings) {
        String host = settings.get("surveycast.bounce.imap.host").orElse(null);
        if (host == null) {
            return null;
        }
        String tls = settings.get("surveycast.bounce.imap.tls", "imaps");
        if (!tls.equals("none") && !tls.equals("starttls") && !tls.equals("imaps")) {
            throw new InvalidInputException("SURVEYCAST_BOUNCE_IMAP_TLS: " + tls + " is not one of none, starttls, imaps");
        }
        String username = settings.get("surveycast.bounce.imap.username").orElseThrow(() -> new InvalidInputException(
                "SURVEYCAST_BOUNCE_IMAP_USERNAME: needed with SURVEYCAST_BOUNCE_IMAP_HOST (IMAP always logs in)"));
        String interval = settings.get("surveycast.bounce.imap.interval", "PT1M");
        Duration every;
        try {
            every = Duration.parse(interval);
        } catch (DateTimeParseException e) {
            throw new InvalidInputException("SURVEYCAST_BOUNCE_IMAP_INTERVAL: not an ISO duration (PT1M): " + interval);
        }
        if (every.isNegative() || every.isZero()) {
            throw new InvalidInputException("SURVEYCAST_BOUNCE_IMAP_INTERVAL: must be positive: " + interval);
        }
        String delete = settings.get("surveycast.bounce.imap.delete", "false");
        if (!delete.equals("true") && !delete.equals("false")) {
            throw new InvalidInputException("SURVEYCAST_BOUNCE_IMAP_DELETE: true or false, not " + delete);
        }
        return new BounceMailbox(host, settings.getInt("surveycast.bounce.imap.port", tls.equals("imaps") ? 993 : 143),
                username, settings.get("surveycast.bounce.imap.password", ""), tls,
                settings.get("surveycast.bounce.imap.folder", "INBOX"), delete.equals("true"), every,
                settings.get("surveycast.bounce.imap.trust").orElse(null));
    }

    /**
     * Property placeholders for the bounces route. With no mailbox configured the route is still
     * defined (so it shows in Camel's route list) but never started: autoStartup is false.
     */
    public static Map<String, String> routeProperties(BounceMailbox mailbox) {
        Map<String, String> p = new LinkedHashMap<>();
        if (mailbox == null) {
            p.put("surveycast.bounce.enabled", "false");
            p.put("surveycast.bounce.protocol", "imap");
            p.put("surveycast.bounce.host", "localhost");
            p.put("surveycast.bounce.port", "143");
            p.put("surveycast.bounce.username", "RAW(none)");
            p.put("surveycast.bounce.password", "RAW()");
            p.put("surveycast.bounce.folder", "INBOX");
            p.put("surveycast.bounce.delete", "false");
            p.put("surveycast.bounce.delay", "60000");
            return p;
        }
        p.put("surveycast.bounce.enabled", "true");
        p.put("surveycast.bounce.protocol", mailbox.tls.equals("imaps") ? "imaps" : "imap");
        p.put("surveycast.bounce.host", mailbox.host);
        p.put("surveycast.bounce.port", Integer.toString(mailbox.port));
        p.put("surveycast.bounce.username", raw(mailbox.username));
        p.put("surveycast.bounce.password", raw(mailbox.password));
        p.put("surveycast.bounce.folder", mailbox.folder);
        p.put("surveycast.bounce.delete", Boolean.toString(mailbox.delete));
        p.put("surveycast.bounce.delay", Long.toString(mailbox.interval.toMillis()));
        return p;
    }

    /** Jakarta Mail properties for TLS (STARTTLS required, trusted hosts), given to the endpoint. */
    public java.util.Properties javaMailProperties() {
        String prefix = tls.equals("imaps") ? "mail.imaps." : "mail.imap.";
        java.util.Properties props = new java.util.Properties();
        props.put(prefix + "connectiontimeout", "30000");
        props.put(prefix + "timeout", "60000");
        if (tls.equals("starttls")) {
            props.put(prefix + "starttls.enable", "true");
            props.put(prefix + "starttls.required", "true");
        }
        if (!tls.equals("none")) {
            props.put(prefix + "ssl.checkserveridentity", Boolean.toString(trust == null));
            if (trust != null) {
                props.put(prefix + "ssl.trust", trust);
            }
        }
        return props;
    }

    /** A credential as a raw URI value, so that {@code &}, {@code +} or {@code %} in it stay as they are. */
    private static String raw(String value) {
        return value.contains(")") ? "RAW{" + value + "}" : "RAW(" + value + ")";
    }

    public String describe() {
        return (tls.equals("imaps") ? "imaps" : "imap") + "://" + username + "@" + host + ":" + port + "/" + folder
                + (tls.equals("starttls") ? " (STARTTLS)" : "");
    }
}
