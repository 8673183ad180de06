package io.surveycast.config;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Which URLs surveycast may call (campaign alert webhooks, {@code SURVEYCAST_WEBHOOK_URLS}):
 * http(s) to a public address. A loopback, private, link-local (the cloud metadata service at
 * 169.254.169.254), shared (100.64/10), unique-local (fc00::/7), multicast or unspecified
 * address is refused unless {@code SURVEYCAST_WEBHOOK_ALLOW_PRIVATE=true}, so a campaign author
 * cannot make the server reach what only it can reach. Checked when a campaign is applied, and
 * when a webhook is sent on the very addresses the connection then uses ({@link #dnsResolver()}): a
 * name that resolves to a public address for the check and to a private one for the call (DNS
 * rebinding) is refused.
 */
public final class OutgoingUrls {
    public static final String ALLOW_PRIVATE = "surveycast.webhook.allow-private";
    private final boolean allowPrivate;
    private final Resolver resolver;

    /** How a host name becomes addresses: the system's resolver, or a test's. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** An address that may not be called, found when connecting. */
    public static final class RefusedAddress extends UnknownHostException {
        RefusedAddress(String why) {
            super(why);
        }
    }

    public OutgoingUrls(boolean allowPrivate) {
        this(allowPrivate, InetAddress::getAllByName);
    }

    public OutgoingUrls(boolean allowPrivate, Resolver resolver) {
        this.allowPrivate = allowPrivate;
        this.resolver = resolver;
    }

    /** Public addresses only: the default. */
    public static OutgoingUrls publicOnly() {
        return new OutgoingUrls(false);
    }

    public static OutgoingUrls fromSettings(Settings settings) {
        return new OutgoingUrls(Boolean.parseBoolean(settings.get(ALLOW_PRIVATE, "false").strip()));
    }

    /**
     * Why {@code url} may not be called, or null. A host that does not resolve now is not refused
     * here ({@code resolveOrRefuse} false: when a campaign is applied, DNS may be out of reach);
     * before a send it is ({@code true}), as the call could not be checked.
     */
    public String refusal(String url, boolean resolveOrRefuse) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return "not an http(s) URL";
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            return "not an http(s) URL";
        }
        if (allowPrivate) {
            return null;
        }
        String host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            addresses(host);
            return null;
        } catch (RefusedAddress e) {
            return e.getMessage();
        } catch (UnknownHostException e) {
            return resolveOrRefuse ? "host " + host + " does not resolve" : null;
        }
    }

    /**
     * The addresses of {@code host} that a connection may use: every one it resolves to, unless one
     * is not public (and private ones are not allowed).
     * @throws RefusedAddress naming the address and the setting that would allow it
     */
    public InetAddress[] addresses(String host) throws UnknownHostException {
        InetAddress[] addresses = resolver.resolve(host);
        if (allowPrivate) {
            return addresses;
        }
        for (InetAddress address : addresses) {
            String kind = kind(address);
            if (kind != null) {
                throw new RefusedAddress(host + " is " + kind + " address (" + address.getHostAddress()
                        + "); set SURVEYCAST_WEBHOOK_ALLOW_PRIVATE=true to allow it");
            }
        }
        return addresses;
    }

    /** For the HTTP client: a connection resolves its host here, so what was checked is what is called. */
    public org.apache.hc.client5.http.DnsResolver dnsResolver() {
        return new org.apache.hc.client5.http.DnsResolver() {
            @Override
            public InetAddress[] resolve(String host) throws UnknownHostException {
                return addresses(host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host);
            }

            @Override
            public String resolveCanonicalHostname(String host) throws UnknownHostException {
                return resolve(host)[0].getCanonicalHostName();
            }
        };
    }

    /** What kind of non-public address this is ("a loopback", ...), or null for a public one. */
    static String kind(InetAddress address) {
        if (address.isAnyLocalAddress()) {
            return "an unspecified";
        }
        if (address.isLoopbackAddress()) {
            return "a loopback";
        }
        if (address.isLinkLocalAddress()) {
            return "a link-local";
        }
        if (address.isSiteLocalAddress()) {
            return "a private";
        }
        if (address.isMulticastAddress()) {
            return "a multicast";
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            if (first == 0) {
                return "an unspecified";
            }
            if (first == 100 && second >= 64 && second < 128) {
                return "a shared (carrier-grade NAT)";
            }
            if (first == 198 && (second == 18 || second == 19) || first >= 240 || first == 192 && second == 0 && b[2] == 0) {
                return "a reserved";
            }
        } else if (address instanceof Inet6Address) {
            if ((b[0] & 0xfe) == 0xfc) {
                return "a private (unique local)";
            }
            boolean mapped = true; // ::ffff:a.b.c.d written so that Java keeps it IPv6
            for (int i = 0; i < 10; i++) {
                mapped &= b[i] == 0;
            }
            if (mapped && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
                try {
                    return kind(InetAddress.getByAddress(java.util.Arrays.copyOfRange(b, 12, 16)));
                } catch (UnknownHostException e) {
                    return "an unreadable";
                }
            }
        }
        return null;
    }
}
