package io.surveycast.http;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Cross-site request forgery tokens for the survey and unsubscribe pages' forms: HMAC-SHA256 over the action
 * and the survey token, keyed with a secret every node shares (app_secret, made by migration V7).
 *
 * Why this and not a cookie: the page needs no session, works on every node and in mail apps'
 * in-app browsers that drop cookies; a forged cross-site form knows at best the survey token, not
 * the HMAC, which only our page (readable by the same origin alone) carries. The RFC 8058
 * one-click POST deliberately needs neither: mail providers send it without cookies or page, and
 * its authority is the unguessable survey token in the URL, exactly as for the link itself.
 */
public final class FormSigner {
    private final Supplier<String> secret;
    private volatile byte[] key;

    public FormSigner(Supplier<String> secret) {
        this.secret = secret;
    }

    public String sign(String action, String token) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key(), "HmacSHA256"));
            byte[] digest = mac.doFinal((action + "\n" + token).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public boolean verify(String action, String token, String candidate) {
        if (candidate == null || candidate.isEmpty()) {
            return false;
        }
        return MessageDigest.isEqual(sign(action, token).getBytes(StandardCharsets.US_ASCII),
                candidate.getBytes(StandardCharsets.US_ASCII));
    }

    private byte[] key() {
        byte[] k = key;
        if (k == null) {
            k = secret.get().getBytes(StandardCharsets.UTF_8);
            key = k;
        }
        return k;
    }
}
