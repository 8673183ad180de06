package io.surveycast.consent;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The SMS keywords carriers require us to honour, recognised as Twilio does: the whole message,
 * any case, surrounding spaces (and here a trailing "." or "!") ignored; "stop texting me" is not
 * a keyword. Twilio's {@code OptOutType} field (sent when Advanced Opt-Out handled the message)
 * wins over the text, so keywords configured in Twilio (other languages, say) count too.
 */
public enum SmsKeyword {
    /** Opt out: no more SMS. ARRET is the French keyword carriers in Canada expect. */
    STOP(Set.of("STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT", "ARRET", "ARRÊT")),
    /** Opt back in. */
    START(Set.of("START", "UNSTOP")),
    /** Who is writing, and how to stop. */
    HELP(Set.of("HELP", "INFO", "AIDE"));

    private final Set<String> words;

    SmsKeyword(Set<String> words) {
        this.words = words;
    }

    /** The keyword the message is, if it is one. */
    public static Optional<SmsKeyword> of(String body, String optOutType) {
        if (optOutType != null && !optOutType.isBlank()) {
            String type = optOutType.strip().toUpperCase(Locale.ROOT);
            for (SmsKeyword keyword : values()) {
                if (keyword.name().equals(type)) {
                    return Optional.of(keyword);
                }
            }
        }
        if (body == null) {
            return Optional.empty();
        }
        String word = body.strip().replaceAll("[.!]+$", "").strip().toUpperCase(Locale.ROOT);
        for (SmsKeyword keyword : values()) {
            if (keyword.words.contains(word)) {
                return Optional.of(keyword);
            }
        }
        return Optional.empty();
    }
}
