package io.surveycast.channel.email;

import io.surveycast.config.Sha256;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Acts on each mail of the bounce mailbox, once (inbound_mail.mail_key): a hard bounce (5.x.x)
 * marks the message bounced, fails its invitation if the invite bounced, and suppresses email for
 * the contact (not for 5.7.x, a refusal of our mail rather than of the address); a soft bounce
 * (4.x.x, and 5.2.2 mailbox full) marks the message bounced and suppresses email after
 * {@code softLimit} in a row; a complaint suppresses with reason complaint; {@code unsubscribe <token>}
 * unsubscribes. Mail it cannot read or does not know is recorded and left alone, never thrown:
 * only a failure to reach the database escapes, so the mail stays unseen and is read again.
 */
public final class BounceProcessor {
    private static final Logger LOG = LoggerFactory.getLogger(BounceProcessor.class);
    private static final Session SESSION = Session.getInstance(new Properties());
    private final DSLContext dsl;
    private final Clock clock;
    private final Unsubscribes unsubscribes;
    private final int softLimit;
    private final InboundMailReader reader = new InboundMailReader();
    private final BounceQueries queries = new BounceQueries();

    public BounceProcessor(DSLContext dsl, Clock clock, Unsubscribes unsubscribes, int softLimit) {
        if (softLimit < 1) {
            throw new IllegalArgumentException("SURVEYCAST_BOUNCE_SOFT_LIMIT: must be at least 1, not " + softLimit);
        }
        this.dsl = dsl;
        this.clock = clock;
        this.unsubscribes = unsubscribes;
        this.softLimit = softLimit;
    }

    /** What became of one mail, for logs and tests. */
    public record Outcome(String kind, Long messageId, boolean duplicate) {
    }

    /** The route's step: the body is the mail as the IMAP consumer read it (mapMailMessage=false). */
    public Outcome receive(jakarta.mail.Message mail) throws MessagingException, IOException {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        mail.writeTo(raw);
        return process(raw.toByteArray());
    }

    public Outcome process(byte[] raw) {
        Instant now = clock.instant();
        MimeMessage mail;
        String key;
        InboundMailReader.Reading reading;
        try {
            mail = new MimeMessage(SESSION, new ByteArrayInputStream(raw));
            key = key(mail, raw);
            reading = reader.read(mail, raw);
        } catch (MessagingException | IOException | RuntimeException e) {
            LOG.warn("bounce mailbox: unreadable mail ({} bytes) left alone: {}", raw.length, e.toString());
            String why = "unreadable: " + e;
            boolean fresh = queries.record(dsl, "sha256:" + Sha256.hex(raw), "unreadable", null, null, null, why, now);
            return new Outcome("unreadable", null, !fresh);
        }
        InboundMailReader.Reading r = reading;
        return dsl.transactionResult(c -> apply(c.dsl(), key, r, now));
    }

    private Outcome apply(DSLContext tx, String key, InboundMailReader.Reading r, Instant now) {
        if (r.kind() == InboundMailReader.Kind.UNSUBSCRIBE) {
            Optional<Long> contact = unsubscribes.contactOf(tx, r.token());
            String kind = contact.isPresent() ? "unsubscribe" : "ignored";
            if (!queries.record(tx, key, kind, null, contact.orElse(null), null,
                    contact.isPresent() ? r.detail() : "unsubscribe with an unknown token", now)) {
                return new Outcome(kind, null, true);
            }
            contact.ifPresent(id -> unsubscribes.unsubscribe(tx, r.token(), "mailto"));
            LOG.info("bounce mailbox: {}", contact.isPresent() ? "mailto unsubscribe of contact " + contact.get()
                    : "mailto unsubscribe with an unknown token ignored");
            return new Outcome(kind, null, false);
        }
        Optional<BounceQueries.SentMessage> message = r.kind() == InboundMailReader.Kind.IGNORED
                ? Optional.empty() : queries.findMessage(tx, r.originalId());
        if (message.isEmpty()) {
            String detail = r.kind() == InboundMailReader.Kind.IGNORED ? r.detail()
                    : r.kind().name().toLowerCase(Locale.ROOT) + " about a message that is not ours ("
                    + r.originalId() + "): " + r.detail();
            boolean fresh = queries.record(tx, key, "ignored", null, null, r.status(), detail, now);
            if (fresh) {
                LOG.info("bounce mailbox: ignored {}", detail);
            }
            return new Outcome("ignored", null, !fresh);
        }
        BounceQueries.SentMessage m = message.get();
        String kind = r.kind().name().toLowerCase(Locale.ROOT);
        if (!queries.record(tx, key, kind, m.id(), m.contactId(), r.status(), r.detail(), now)) {
            return new Outcome(kind, m.id(), true);
        }
        switch (r.kind()) {
            case HARD_BOUNCE -> {
                queries.markBounced(tx, m, "bounced: " + r.detail(), now);
                if (!r.status().startsWith("5.7.")) {
                    queries.suppress(tx, m.contactId(), "hard_bounce", "bounce " + r.status(), now);
                }
            }
            case SOFT_BOUNCE -> {
                queries.markBounced(tx, m, "soft bounce: " + r.detail(), now);
                int inARow = queries.softBouncesInARow(tx, m.contactId());
                if (inARow >= softLimit) {
                    queries.suppress(tx, m.contactId(), "hard_bounce", inARow + " soft bounces", now);
                }
            }
            case COMPLAINT -> queries.suppress(tx, m.contactId(), "complaint", "feedback report", now);
            default -> throw new IllegalStateException(r.kind().name());
        }
        LOG.info("bounce mailbox: {} of message {} (contact {}): {}", kind, m.id(), m.contactId(), r.detail());
        return new Outcome(kind, m.id(), false);
    }

    /** The mail's own Message-ID, or the hash of its bytes when it has none: what makes it processed once. */
    private static String key(MimeMessage mail, byte[] raw) throws MessagingException {
        String id = mail.getMessageID();
        return id != null && !id.isBlank() ? id.strip() : "sha256:" + Sha256.hex(raw);
    }
}
