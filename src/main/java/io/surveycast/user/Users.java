package io.surveycast.user;

import io.surveycast.audit.AuditLog;
import io.surveycast.config.InvalidInputException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jooq.DSLContext;

/**
 * API users: each gets a random token, shown once; only its SHA-256 is stored. Tokens carry
 * 256 random bits, so a fast hash is enough (nothing to brute-force as with passwords).
 */
public final class Users {
    private static final String PREFIX = "sc_";
    private static final Pattern NAME = Pattern.compile("[\\p{L}\\p{N}._@-]{1,100}");
    private final SecureRandom random = new SecureRandom();
    private final DSLContext dsl;
    private final Clock clock;
    private final AuditLog audit;
    private final UserQueries queries = new UserQueries();

    /** A new user and the token to hand them: it cannot be shown again. */
    public record Created(User user, String token) {
    }

    /** A user as listed: never the token. */
    public record Listed(String name, Role role, java.time.Instant createdAt, boolean disabled) {
        /** As {@code GET /api/users} and {@code users list --format json} show a user. */
        public Map<String, Object> json() {
            Map<String, Object> row = new java.util.LinkedHashMap<>();
            row.put("name", name);
            row.put("role", role.id());
            row.put("created_at", createdAt.toString());
            row.put("disabled", disabled);
            return row;
        }
    }

    /** The name is taken by another user. */
    public static final class NameTaken extends InvalidInputException {
        NameTaken(String name) {
            super("NAME: a user named " + name + " already exists");
        }
    }

    public Users(DSLContext dsl, Clock clock) {
        this.dsl = dsl;
        this.clock = clock;
        this.audit = new AuditLog(clock);
    }

    public Created add(String name, Role role, String actor) {
        if (!NAME.matcher(name).matches()) {
            throw new InvalidInputException("NAME: use letters, digits, dots, dashes, underscores or @ (at most 100): " + name);
        }
        String token = newToken();
        long id = dsl.transactionResult(configuration -> {
            DSLContext tx = configuration.dsl();
            if (queries.exists(tx, name)) {
                throw new NameTaken(name);
            }
            long newId = queries.insert(tx, name, role, hash(token), clock.instant().atOffset(ZoneOffset.UTC));
            audit.record(tx, actor, "user.add", "user", name, Map.of("role", role.id()));
            return newId;
        });
        return new Created(new User(id, name, role), token);
    }

    /**
     * A fresh token for the named user, creating the user with {@code role} if needed; the old
     * token stops working. For {@code demo}, which prints a way in at every start.
     */
    public String freshToken(String name, Role role, String actor) {
        String token = newToken();
        boolean replaced = dsl.transactionResult(configuration -> {
            DSLContext tx = configuration.dsl();
            if (!queries.replaceToken(tx, name, hash(token))) {
                return false;
            }
            audit.record(tx, actor, "user.token", "user", name, Map.of());
            return true;
        });
        return replaced ? token : add(name, role, actor).token();
    }

    /** No user has that name. */
    public static final class NoSuchUser extends InvalidInputException {
        NoSuchUser(String name) {
            super("NAME: no user named " + name);
        }
    }

    /** Disabling the only enabled admin would leave nobody able to manage users (or undo it but from the shell). */
    public static final class LastAdmin extends InvalidInputException {
        LastAdmin(String name) {
            super("NAME: " + name + " is the only enabled admin; add or enable another admin first");
        }
    }

    /**
     * Disables the user: their token and every session of theirs stop working at once (sessions
     * are ended, so enabling the user later does not bring them back). False when already disabled.
     */
    public boolean disable(String name, String actor) {
        return dsl.transactionResult(configuration -> {
            DSLContext tx = configuration.dsl();
            java.util.List<Long> admins = queries.enabledAdminsLocked(tx);
            long id = queries.idOf(tx, name).orElseThrow(() -> new NoSuchUser(name));
            if (admins.equals(java.util.List.of(id))) {
                throw new LastAdmin(name);
            }
            boolean changed = queries.disable(tx, id, clock.instant().atOffset(ZoneOffset.UTC));
            queries.endSessions(tx, id);
            if (changed) {
                audit.record(tx, actor, "user.disable", "user", name, Map.of());
            }
            return changed;
        });
    }

    /** Lets a disabled user's token work again. False when the user was not disabled. */
    public boolean enable(String name, String actor) {
        return dsl.transactionResult(configuration -> {
            DSLContext tx = configuration.dsl();
            long id = queries.idOf(tx, name).orElseThrow(() -> new NoSuchUser(name));
            boolean changed = queries.enable(tx, id);
            if (changed) {
                audit.record(tx, actor, "user.enable", "user", name, Map.of());
            }
            return changed;
        });
    }

    /**
     * A new token for an existing user, to hand them once; the old token and the sessions opened
     * with it stop working at once (a leaked token may have opened one). A disabled user stays disabled.
     */
    public Created rotate(String name, String actor) {
        String token = newToken();
        return dsl.transactionResult(configuration -> {
            DSLContext tx = configuration.dsl();
            User user = queries.byName(tx, name).orElseThrow(() -> new NoSuchUser(name));
            queries.replaceToken(tx, name, hash(token));
            queries.endSessions(tx, user.id());
            audit.record(tx, actor, "user.rotate", "user", name, Map.of());
            return new Created(user, token);
        });
    }

    /** The user as listed, if there is one by that name. */
    public Optional<Listed> find(String name) {
        return list().stream().filter(u -> u.name().equals(name)).findFirst();
    }

    private String newToken() {
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    /** Every user, by name. */
    public java.util.List<Listed> list() {
        return queries.all(dsl);
    }

    /** The user a token belongs to, if it is valid and the user not disabled. */
    public Optional<User> authenticate(String token) {
        if (token == null || !token.startsWith(PREFIX) || token.length() > 200) {
            return Optional.empty();
        }
        return queries.findActiveByTokenHash(dsl, hash(token));
    }

    static String hash(String token) {
        return io.surveycast.config.Sha256.hex(token);
    }
}
