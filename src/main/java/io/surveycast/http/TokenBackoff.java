package io.surveycast.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A per-address back-off on wrong tokens, for {@code /login} and the API: after {@code limit}
 * (default {@link #LIMIT}) failures within {@link #WINDOW}, the address is refused (429 with Retry-After) for
 * {@link #FIRST_BLOCK}, doubled at each further block up to {@link #MAX_BLOCK}. While blocked, no
 * token is checked at all (otherwise the block would still tell a right guess from a wrong one);
 * right tokens are not counted, so normal use never comes near the limit. Each block is logged once, never
 * each request. The state lives in memory, at most {@link #MAX_ADDRESSES} addresses, each forgotten
 * after {@link #FORGET} without a failure.
 *
 * <p>It reads a monotonic ticker rather than the application clock on purpose: a simulated clock
 * ({@code SURVEYCAST_CLOCK=fixed:...}) must not freeze a block for ever.
 */
public final class TokenBackoff {
    public static final int LIMIT = 10; // the default of SURVEYCAST_TOKEN_FAILURE_LIMIT
    static final Duration WINDOW = Duration.ofMinutes(5);
    public static final Duration FIRST_BLOCK = Duration.ofSeconds(30);
    public static final Duration MAX_BLOCK = Duration.ofMinutes(15);
    public static final Duration FORGET = Duration.ofHours(1);
    static final int MAX_ADDRESSES = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(TokenBackoff.class);

    private final Ticker ticker;
    private final int limit;
    private final Cache<String, Failures> failures;

    /** {@code limit} wrong tokens within the window block an address; 0: no back-off at all. */
    public TokenBackoff(int limit) {
        this(Ticker.systemTicker(), limit);
    }

    public TokenBackoff(Ticker ticker, int limit) {
        this.ticker = ticker;
        this.limit = limit;
        this.failures = Caffeine.newBuilder().ticker(ticker).maximumSize(MAX_ADDRESSES).expireAfterWrite(FORGET).build();
    }

    /** Seconds until this address may try again, when it is blocked now. */
    public OptionalLong blockedFor(String address) {
        Failures f = failures.getIfPresent(key(address));
        if (f == null) {
            return OptionalLong.empty();
        }
        synchronized (f) {
            long left = f.blocked ? f.blockedUntil - ticker.read() : 0;
            return left > 0 ? OptionalLong.of(Math.max(1, (left + 999_999_999L) / 1_000_000_000L)) : OptionalLong.empty();
        }
    }

    /** A wrong token from this address: counts it, and blocks the address at the limit. */
    public void failed(String address, String where) {
        if (limit <= 0) {
            return;
        }
        String key = key(address);
        Failures f = failures.get(key, k -> new Failures());
        long now = ticker.read();
        Duration block = null;
        synchronized (f) {
            if (now - f.windowStart > WINDOW.toNanos() || f.count == 0) {
                f.windowStart = now;
                f.count = 0;
            }
            f.count++;
            if (f.count >= limit) {
                block = FIRST_BLOCK.multipliedBy(1L << Math.min(f.blocks, 10));
                if (block.compareTo(MAX_BLOCK) > 0) {
                    block = MAX_BLOCK;
                }
                f.blocks++;
                f.blocked = true;
                f.blockedUntil = now + block.toNanos();
                f.count = 0;
            }
        }
        failures.put(key, f); // a failure keeps the record (and its growing block) alive
        if (block != null) {
            LOG.warn("{} wrong tokens from {} on {} within {}: refused for {} s", limit, key, where,
                    WINDOW.toMinutes() + " min", block.toSeconds());
        }
    }

    /** The address of the client that sent this request (the connection's, not a header a client could set). */
    public static String clientAddress(org.apache.camel.Message in) {
        Object remote = in.getHeader("CamelVertxPlatformHttpRemoteAddress");
        if (remote instanceof io.vertx.core.net.SocketAddress socket) {
            return socket.hostAddress();
        }
        return remote == null ? null : remote.toString();
    }

    private static String key(String address) {
        return address == null || address.isBlank() ? "unknown" : address;
    }

    private static final class Failures {
        long windowStart;
        int count;
        int blocks;
        boolean blocked;
        long blockedUntil;
    }
}
