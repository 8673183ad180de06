package io.surveycast.share;

import io.surveycast.audit.AuditLog;
import io.surveycast.config.InvalidInputException;
import io.surveycast.config.Sha256;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jooq.DSLContext;

/**
 * Wall-display links: each a random token (256 bits) that shows the overview without signing in.
 * The token is shown once, at creation; only its SHA-256 is stored (as for API tokens and
 * sessions), so a link is found by the hash of what was asked for, never by comparing secrets. A
 * revoked or expired link is simply not found.
 */
public final class Shares {
    private static final String PREFIX = "wall_";
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{1,100}");
    /** How many characters of a token {@code shares list} shows, to tell links apart. */
    static final int HINT = PREFIX.length() + 6;
    private final SecureRandom random = new SecureRandom();
    private final DSLContext dsl;
    private final Clock clock;
    private final String publicUrl;
    private final AuditLog audit;
    private final ShareQueries queries = new ShareQueries();

    /** A new link; {@code url} carries the token and cannot be shown again. */
    public record Created(long id, String url, Instant createdAt, Instant expiresAt) {
    }

    /** A live link as listed: {@code url} shows only the token's first characters. */
    public record Listed(long id, String url, Instant createdAt, Instant expiresAt, String createdBy) {
    }

    public Shares(DSLContext dsl, Clock clock, String publicUrl) {
        this.dsl = dsl;
        this.clock = clock;
        this.publicUrl = publicUrl.replaceAll("/+$", "");
        this.audit = new AuditLog(clock);
    }

    /** A new link, valid for {@code lifetime} (null: until revoked). */
    public Created create(Duration lifetime, String actor) {
        if (lifetime != null && (lifetime.isNegative() || lifetime.isZero())) {
            throw new InvalidInputException("--expires: must be positive, got " + lifetime);
        }
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        Instant now = clock.instant();
        Instant expires = lifetime == null ? null : now.plus(lifetime);
        long id = dsl.transactionResult(configuration -> {
            DSLContext tx = configuration.dsl();
            long newId = queries.insert(tx, Sha256.hex(token), token.substring(0, HINT), actor, now, expires);
            audit.record(tx, actor, "share.create", "share", Long.toString(newId),
                    expires == null ? Map.of() : Map.of("expires_at", expires.toString()));
            return newId;
        });
        return new Created(id, publicUrl + "/share/" + token, now, expires);
    }

    /** The links that work now (not revoked, not expired), oldest first. */
    public List<Listed> list() {
        return queries.live(dsl, clock.instant()).stream()
                .map(s -> new Listed(s.id(), publicUrl + "/share/" + s.hint() + "\u2026", s.createdAt(), s.expiresAt(), s.createdBy()))
                .toList();
    }

    /** No link has that id. */
    public static final class NoSuchShare extends InvalidInputException {
        NoSuchShare(long id) {
            super("ID: no share " + id);
        }
    }

    /** Stops the link at once; false when it was already revoked. */
    public boolean revoke(long id, String actor) {
        return dsl.transactionResult(configuration -> {
            DSLContext tx = configuration.dsl();
            if (!queries.exists(tx, id)) {
                throw new NoSuchShare(id);
            }
            boolean changed = queries.revoke(tx, id, clock.instant());
            if (changed) {
                audit.record(tx, actor, "share.revoke", "share", Long.toString(id), Map.of());
            }
            return changed;
        });
    }

    /** Whether {@code token} opens a live link now. */
    public boolean opens(String token) {
        if (token == null || !TOKEN.matcher(token).matches()) {
            return false;
        }
        return queries.liveByHash(dsl, Sha256.hex(token), clock.instant());
    }
}
