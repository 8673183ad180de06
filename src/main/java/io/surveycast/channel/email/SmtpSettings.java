package io.surveycast.channel.email;

import io.surveycast.config.InvalidInputException;
import io.surveycast.config.Settings;
import java.time.Duration;
import java.util.Properties;

/** Where and how to reach the SMTP server: {@code SURVEYCAST_SMTP_*}, {@code SURVEYCAST_MAIL_FROM}. */
public record SmtpSettings(String host, int port, String username, String password, String tls, String from,
                           int connections, Duration timeout, String trust, DkimSigning dkim) {

    /** The configured server, or null when no SMTP host is set (development mode: mail is captured). */
    public static SmtpSettings fromSettings(Settings settings) {
        String host = settings.get("surveycast.smtp.host").orElse(null);
        if (host == null) {
            return null;
        }
        String tls = settings.get("surveycast.smtp.tls", "starttls");
        if (!tls.equals("none") && !tls.equals("starttls") && !tls.equals("smtps")) {
            throw new InvalidInputException("SURVEYCAST_SMTP_TLS: " + tls + " is not one of none, starttls, smtps");
        }
        int defaultPort = tls.equals("smtps") ? 465 : tls.equals("starttls") ? 587 : 25;
        return new SmtpSettings(host, settings.getInt("surveycast.smtp.port", defaultPort),
                settings.get("surveycast.smtp.username").orElse(null),
                settings.get("surveycast.smtp.password").orElse(null),
                tls, from(settings), connections(settings), timeout(settings),
                settings.get("surveycast.smtp.trust").orElse(null), DkimSigning.fromSettings(settings));
    }

    /** A plain local server, as development mode's capture and tests use. */
    public static SmtpSettings local(int port, String from, int connections) {
        return new SmtpSettings("127.0.0.1", port, null, null, "none", from, connections, Duration.ofSeconds(10), null, null);
    }

    /** {@code SURVEYCAST_SMTP_TIMEOUT}: connecting, each read and each write (default 30 s). */
    public static Duration timeout(Settings settings) {
        String value = settings.get("surveycast.smtp.timeout", "PT30S");
        try {
            Duration timeout = Duration.parse(value);
            if (timeout.isNegative() || timeout.isZero()) {
                throw new java.time.format.DateTimeParseException("not positive", value, 0);
            }
            return timeout;
        } catch (java.time.format.DateTimeParseException e) {
            throw new InvalidInputException("SURVEYCAST_SMTP_TIMEOUT: not a positive ISO-8601 duration: " + value);
        }
    }

    public static String from(Settings settings) {
        return settings.get("surveycast.mail.from", "surveys@localhost");
    }

    public static int connections(Settings settings) {
        return settings.getInt("surveycast.email.concurrency", 4);
    }

    Properties sessionProperties() {
        String p = tls.equals("smtps") ? "mail.smtps." : "mail.smtp.";
        Properties props = new Properties();
        props.put(p + "host", host);
        props.put(p + "port", Integer.toString(port));
        props.put(p + "connectiontimeout", Long.toString(timeout.toMillis()));
        props.put(p + "timeout", Long.toString(timeout.toMillis()));
        props.put(p + "writetimeout", Long.toString(timeout.toMillis()));
        props.put(p + "executor.writetimeout", CoarseWriteTimeouts.SHARED);
        props.put(p + "auth", Boolean.toString(username != null));
        if (tls.equals("starttls")) {
            props.put(p + "starttls.enable", "true");
            props.put(p + "starttls.required", "true");
        }
        if (tls.equals("smtps")) {
            props.put(p + "ssl.enable", "true");
        }
        if (!tls.equals("none")) {
            // hosts listed in trust are taken as they are (an internal relay with a self-signed
            // certificate, "*" for any); every other server must present a certificate for its name
            props.put(p + "ssl.checkserveridentity", Boolean.toString(trust == null));
            if (trust != null) {
                props.put(p + "ssl.trust", trust);
            }
        }
        // report every rejected recipient and still send to the others (one recipient per message anyway)
        props.put(p + "reportsuccess", "false");
        props.put(p + "sendpartial", "true");
        return props;
    }

    String protocol() {
        return tls.equals("smtps") ? "smtps" : "smtp";
    }

    public String describe() {
        return protocol() + "://" + host + ":" + port + (tls.equals("starttls") ? " (STARTTLS)" : "");
    }
}
