package io.surveycast.dispatch;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * An invitation's survey token: the first 128 bits of HMAC-SHA256 over its id, keyed with the
 * shared {@code survey-token} secret (migration V11), URL-safe base64 (22 characters, as the
 * random tokens were). Unguessable without the secret, and the same on every node and attempt, so
 * it need not be written before the message goes out: the sent record stores it.
 */
final class SurveyTokens {
    private final Supplier<String> secret;
    private volatile SecretKeySpec key;
    private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::newMac); // keyed once per thread

    SurveyTokens(Supplier<String> secret) {
        this.secret = secret;
    }

    String forInvitation(long invitationId) {
        byte[] digest = macs.get().doFinal(("survey-token\n" + invitationId).getBytes(StandardCharsets.US_ASCII));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(digest, 16));
    }

    private SecretKeySpec key() {
        SecretKeySpec k = key;
        if (k == null) {
            k = new SecretKeySpec(secret.get().getBytes(StandardCharsets.UTF_8), "HmacSHA256");
            key = k;
        }
        return k;
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key());
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
