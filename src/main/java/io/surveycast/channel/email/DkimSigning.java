package io.surveycast.channel.email;

import io.surveycast.config.InvalidInputException;
import io.surveycast.config.Settings;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import org.simplejavamail.utils.mail.dkim.Canonicalization;
import org.simplejavamail.utils.mail.dkim.DkimMessage;
import org.simplejavamail.utils.mail.dkim.DkimSigner;
import org.simplejavamail.utils.mail.dkim.SigningAlgorithm;

/**
 * Optional DKIM signing (RSA-SHA256, relaxed/relaxed) with the key in {@code SURVEYCAST_DKIM_KEY_FILE}
 * (PKCS#8, PEM or DER) for {@code SURVEYCAST_DKIM_DOMAIN} and {@code SURVEYCAST_DKIM_SELECTOR}.
 */
final class DkimSigning {
    private final String domain;
    private final String selector;
    private final RSAPrivateKey key;
    // the signer keeps per-message state while a message is written: one per sending thread
    private final ThreadLocal<DkimSigner> signers;

    private DkimSigning(String domain, String selector, RSAPrivateKey key) {
        this.domain = domain;
        this.selector = selector;
        this.key = key;
        this.signers = ThreadLocal.withInitial(this::signer);
    }

    /** The configured signing, or null when no DKIM key is configured. */
    static DkimSigning fromSettings(Settings settings) {
        String file = settings.get("surveycast.dkim.key-file").orElse(null);
        if (file == null) {
            return null;
        }
        String domain = settings.get("surveycast.dkim.domain")
                .orElseThrow(() -> new InvalidInputException("SURVEYCAST_DKIM_DOMAIN: required with SURVEYCAST_DKIM_KEY_FILE"));
        String selector = settings.get("surveycast.dkim.selector")
                .orElseThrow(() -> new InvalidInputException("SURVEYCAST_DKIM_SELECTOR: required with SURVEYCAST_DKIM_KEY_FILE"));
        return new DkimSigning(domain, selector, readKey(Path.of(file)));
    }

    MimeMessage sign(MimeMessage message) throws MessagingException {
        return new DkimMessage(message, signers.get());
    }

    private DkimSigner signer() {
        try {
            DkimSigner signer = new DkimSigner(domain, selector, key);
            signer.setSigningAlgorithm(SigningAlgorithm.SHA256_WITH_RSA);
            signer.setHeaderCanonicalization(Canonicalization.RELAXED);
            signer.setBodyCanonicalization(Canonicalization.RELAXED);
            signer.setCheckDomainKey(false);
            return signer;
        } catch (Exception e) {
            throw new IllegalStateException("DKIM: " + e.getMessage(), e);
        }
    }

    static RSAPrivateKey readKey(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            String text = new String(bytes, StandardCharsets.US_ASCII);
            if (text.contains("-----BEGIN RSA PRIVATE KEY-----")) {
                throw new InvalidInputException("SURVEYCAST_DKIM_KEY_FILE: " + file + " is PKCS#1; convert it with "
                        + "`openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8.pem`");
            }
            if (text.contains("-----BEGIN PRIVATE KEY-----")) {
                bytes = Base64.getMimeDecoder().decode(text.replaceAll("-----[A-Z ]+-----", ""));
            }
            return (RSAPrivateKey) KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(bytes));
        } catch (IOException e) {
            throw new InvalidInputException("SURVEYCAST_DKIM_KEY_FILE: cannot read " + file + ": " + e.getMessage());
        } catch (GeneralSecurityException | ClassCastException | IllegalArgumentException e) {
            throw new InvalidInputException("SURVEYCAST_DKIM_KEY_FILE: " + file + " is not an unencrypted PKCS#8 RSA key");
        }
    }
}
