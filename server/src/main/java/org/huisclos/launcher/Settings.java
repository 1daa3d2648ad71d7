package org.huisclos.launcher;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.huisclos.turn.TurnCredentials;

/**
 * The configuration, read once from environment variables. docs/configuration.md is the reference
 * for every variable and its default; keep the two in step. A bad value stops start-up with a
 * message naming the variable and what it should be.
 */
public record Settings(Role role, int httpPort, String httpBind, int mediaUdpPort, String mediaBind, String publicIp,
                       boolean publicIpDefaulted, String nodeId, String region, int mediaCapacity, long rembBitrate,
                       byte[] roomKeySecret, String clusterBind, int clusterPort, List<String> clusterMembers,
                       String clusterName, List<String> signalingUrls, String adminToken, int mediaTcpPort,
                       boolean testBlockMediaUdp, Tls tls, String tlsCert, String tlsKey, int mediaHttpPort,
                       org.huisclos.signaling.JwtVerifier jwt, boolean jwtRequiredToOpenRooms, String relayIp,
                       TurnCredentials turn, org.huisclos.media.transport.TcpLimits mediaTcpLimits,
                       org.huisclos.signaling.ClientAddresses clientAddresses, int websocketsPerClientPerMinute,
                       int joinsPerClientPerMinute, int roomMaxParticipants, boolean simulcast) {

    /** How the signaling role serves HTTP: plain (a TLS proxy in front), with given PEM files, or self-signed. */
    public enum Tls { OFF, FILES, SELF_SIGNED }

    /** The media node's part of the settings. */
    public org.huisclos.media.MediaNodeConfig mediaNodeConfig() {
        return new org.huisclos.media.MediaNodeConfig(nodeId, mediaBind, mediaUdpPort, mediaTcpPort, publicIp,
                mediaCapacity, rembBitrate, testBlockMediaUdp, relayIp, mediaTcpLimits, roomMaxParticipants, simulcast);
    }

    /** Default of HUISCLOS_TURN_TTL, seconds: a credential only has to outlive the browser's first Allocate. */
    public static final int DEFAULT_TURN_TTL_SECONDS = 600;

    /** A turn: or turns: URL (RFC 7065): host or [IPv6], optional port, optional ?transport=udp|tcp. */
    private static final Pattern TURN_URL = Pattern.compile(
            "(turns?):(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)(?::(\\d{1,5}))?(?:\\?transport=(udp|tcp))?");

    /** Default of HUISCLOS_MEDIA_HTTP_PORT: not 9100, which node_exporter takes on many servers. */
    public static final int DEFAULT_MEDIA_HTTP_PORT = 8090;

    /** A configuration problem, said so that an admin knows what to change. */
    public static final class Invalid extends RuntimeException {
        public Invalid(String message) {
            super(message);
        }
    }

    public static Settings fromEnvironment(Map<String, String> env) {
        Reader r = new Reader(env);
        String publicIp = r.string("HUISCLOS_PUBLIC_IP", "");
        boolean defaulted = publicIp.isEmpty();
        if (defaulted) {
            publicIp = "127.0.0.1";
        } else if (!publicIp.matches("[0-9a-fA-F:.]+")) {
            throw new Invalid("HUISCLOS_PUBLIC_IP must be an IP address (the address browsers reach the media node at), got a value that is not one");
        }
        String relayIp = r.string("HUISCLOS_RELAY_IP", publicIp);
        if (!relayIp.matches("[0-9a-fA-F:.]+") || !relayIp.matches(".*[.:].*")) {
            throw new Invalid("HUISCLOS_RELAY_IP must be an IP address (the address other media nodes send relay links to, "
                    + "e.g. this node's private or WireGuard address), got a value that is not one");
        }
        String secret = r.string("HUISCLOS_ROOM_KEY_SECRET", "");
        byte[] secretBytes = null;
        if (secret.isEmpty()) {
            // shared at random through the cluster (ClusterSecrets)
        } else if (secret.length() < 16) {
            throw new Invalid("HUISCLOS_ROOM_KEY_SECRET must be at least 16 characters (or unset for a random one)");
        } else {
            secretBytes = secret.getBytes(StandardCharsets.UTF_8);
        }
        String members = r.string("HUISCLOS_CLUSTER_MEMBERS", "");
        List<String> memberList = new ArrayList<>();
        for (String m : members.split(",")) {
            if (!m.isBlank()) {
                if (!m.trim().matches("[^:\\s]+:\\d{1,5}")) {
                    throw new Invalid("HUISCLOS_CLUSTER_MEMBERS must be a comma-separated list of host:port, got '" + m.trim() + "'");
                }
                memberList.add(m.trim());
            }
        }
        List<String> urls = new ArrayList<>();
        for (String u : r.string("HUISCLOS_SIGNALING_URLS", "").split(",")) {
            if (!u.isBlank()) {
                if (!u.trim().matches("https?://[^\\s/]+/?")) {
                    throw new Invalid("HUISCLOS_SIGNALING_URLS must be a comma-separated list of http(s)://host:port, got '" + u.trim() + "'");
                }
                urls.add(u.trim().replaceAll("/$", ""));
            }
        }
        String nodeId = r.string("HUISCLOS_NODE_ID", "node-" + HexFormat.of().formatHex(uuidBytes(), 0, 4));
        if (!nodeId.matches("[A-Za-z0-9_.-]{1,64}")) {
            throw new Invalid("HUISCLOS_NODE_ID must be 1 to 64 letters, digits, '-', '_' or '.'");
        }
        String adminToken = r.string("HUISCLOS_ADMIN_TOKEN", "");
        if (!adminToken.isEmpty() && adminToken.length() < 24) {
            throw new Invalid("HUISCLOS_ADMIN_TOKEN must be at least 24 characters (or unset to disable /admin)");
        }
        String region = r.string("HUISCLOS_REGION", "");
        if (!region.matches("[A-Za-z0-9_.-]{0,32}")) {
            throw new Invalid("HUISCLOS_REGION must be up to 32 letters, digits, '-', '_' or '.'");
        }
        int udpPort = r.port("HUISCLOS_MEDIA_UDP_PORT", 10000);
        String tlsCert = r.string("HUISCLOS_TLS_CERT", "");
        String tlsKey = r.string("HUISCLOS_TLS_KEY", "");
        String tlsMode = r.string("HUISCLOS_TLS", "");
        Tls tls;
        if (tlsMode.equalsIgnoreCase("self-signed")) {
            if (!tlsCert.isEmpty() || !tlsKey.isEmpty()) {
                throw new Invalid("HUISCLOS_TLS=self-signed and HUISCLOS_TLS_CERT/HUISCLOS_TLS_KEY exclude each other: "
                        + "unset HUISCLOS_TLS to use your certificate files, or unset the files for a self-signed certificate");
            }
            tls = Tls.SELF_SIGNED;
        } else if (tlsMode.isEmpty() || tlsMode.equalsIgnoreCase("off") || tlsMode.equalsIgnoreCase("files")) {
            if (tlsCert.isEmpty() != tlsKey.isEmpty()) {
                throw new Invalid("HUISCLOS_TLS_CERT and HUISCLOS_TLS_KEY go together: set both (the PEM certificate and "
                        + "its PEM private key) for HTTPS, or neither for plain HTTP");
            }
            if (tlsMode.equalsIgnoreCase("off") && !tlsCert.isEmpty()) {
                throw new Invalid("HUISCLOS_TLS=off but HUISCLOS_TLS_CERT and HUISCLOS_TLS_KEY are set: unset one or the other");
            }
            if (tlsMode.equalsIgnoreCase("files") && tlsCert.isEmpty()) {
                throw new Invalid("HUISCLOS_TLS=files needs HUISCLOS_TLS_CERT and HUISCLOS_TLS_KEY (PEM files)");
            }
            tls = tlsCert.isEmpty() ? Tls.OFF : Tls.FILES;
        } else {
            throw new Invalid("HUISCLOS_TLS must be 'off' (plain HTTP, the default) or 'self-signed'; for your own "
                    + "certificate set HUISCLOS_TLS_CERT and HUISCLOS_TLS_KEY instead, got '" + tlsMode + "'");
        }
        String jwtSecret = r.string("HUISCLOS_JWT_HS256_SECRET", "");
        String jwtKey = r.string("HUISCLOS_JWT_ED25519_PUBLIC_KEY", "");
        org.huisclos.signaling.JwtVerifier jwt = null;
        if (!jwtSecret.isEmpty() && !jwtKey.isEmpty()) {
            throw new Invalid("HUISCLOS_JWT_HS256_SECRET and HUISCLOS_JWT_ED25519_PUBLIC_KEY exclude each other: set one");
        } else if (!jwtSecret.isEmpty()) {
            if (jwtSecret.length() < 32) {
                throw new Invalid("HUISCLOS_JWT_HS256_SECRET must be at least 32 characters (or unset)");
            }
            jwt = org.huisclos.signaling.JwtVerifier.hs256(jwtSecret);
        } else if (!jwtKey.isEmpty()) {
            try {
                jwt = org.huisclos.signaling.JwtVerifier.ed25519(jwtKey);
            } catch (IllegalArgumentException e) {
                throw new Invalid("HUISCLOS_JWT_ED25519_PUBLIC_KEY must be the base64 of the raw 32-byte Ed25519 public key "
                        + "or a PEM public key (SubjectPublicKeyInfo): " + e.getMessage());
            }
        }
        boolean jwtRequired = r.flag("HUISCLOS_JWT_REQUIRED_TO_OPEN_ROOMS");
        if (jwtRequired && jwt == null) {
            throw new Invalid("HUISCLOS_JWT_REQUIRED_TO_OPEN_ROOMS needs HUISCLOS_JWT_HS256_SECRET or HUISCLOS_JWT_ED25519_PUBLIC_KEY");
        }
        return new Settings(
                Role.parse(r.string("HUISCLOS_ROLE", "all")),
                r.port("HUISCLOS_HTTP_PORT", 8080),
                r.string("HUISCLOS_HTTP_BIND", "0.0.0.0"),
                udpPort,
                r.string("HUISCLOS_MEDIA_BIND", "0.0.0.0"),
                publicIp,
                defaulted,
                nodeId,
                region,
                r.integer("HUISCLOS_MEDIA_CAPACITY", 200, 1, 100_000),
                r.integer("HUISCLOS_REMB_BITRATE", 1_500_000, 50_000, 50_000_000),
                secretBytes,
                r.string("HUISCLOS_CLUSTER_BIND", "127.0.0.1"),
                r.port("HUISCLOS_CLUSTER_PORT", 5701),
                memberList,
                r.string("HUISCLOS_CLUSTER_NAME", "huisclos"),
                urls,
                adminToken.isEmpty() ? null : adminToken,
                r.port("HUISCLOS_MEDIA_TCP_PORT", udpPort), // same number as UDP unless told otherwise
                r.flag("HUISCLOS_TEST_BLOCK_MEDIA_UDP"),
                tls,
                tlsCert.isEmpty() ? null : tlsCert,
                tlsKey.isEmpty() ? null : tlsKey,
                r.port("HUISCLOS_MEDIA_HTTP_PORT", DEFAULT_MEDIA_HTTP_PORT),
                jwt,
                jwtRequired,
                relayIp,
                turn(r),
                tcpLimits(r),
                trustedProxies(r),
                r.integer("HUISCLOS_WEBSOCKETS_PER_CLIENT_PER_MINUTE",
                        org.huisclos.signaling.ClientQuotas.DEFAULT_WEBSOCKETS_PER_MINUTE, 1, 1_000_000),
                r.integer("HUISCLOS_JOINS_PER_CLIENT_PER_MINUTE",
                        org.huisclos.signaling.ClientQuotas.DEFAULT_JOINS_PER_MINUTE, 1, 1_000_000),
                r.integer("HUISCLOS_ROOM_MAX_PARTICIPANTS", org.huisclos.media.MediaNodeConfig.DEFAULT_ROOM_CAPACITY, 2,
                        100_000),
                r.flag("HUISCLOS_SIMULCAST"));
    }

    /** HUISCLOS_MEDIA_TCP_MAX_CONNECTIONS, _MAX_PER_ADDRESS and _CHECK_TIMEOUT_MS: the ICE-TCP port's bounds. */
    private static org.huisclos.media.transport.TcpLimits tcpLimits(Reader r) {
        int total = r.integer("HUISCLOS_MEDIA_TCP_MAX_CONNECTIONS",
                org.huisclos.media.transport.TcpLimits.DEFAULT_MAX_CONNECTIONS, 1, 1_000_000);
        int perAddress = r.integer("HUISCLOS_MEDIA_TCP_MAX_PER_ADDRESS",
                org.huisclos.media.transport.TcpLimits.DEFAULT_MAX_PER_ADDRESS, 1, 10_000);
        int timeout = r.integer("HUISCLOS_MEDIA_TCP_CHECK_TIMEOUT_MS",
                org.huisclos.media.transport.TcpLimits.DEFAULT_CHECK_TIMEOUT_MILLIS, 100, 60_000);
        if (perAddress > total) {
            throw new Invalid("HUISCLOS_MEDIA_TCP_MAX_PER_ADDRESS (" + perAddress + ") must not exceed "
                    + "HUISCLOS_MEDIA_TCP_MAX_CONNECTIONS (" + total + "): lower the first or raise the second");
        }
        return org.huisclos.media.transport.TcpLimits.of(total, perAddress, timeout);
    }

    /** HUISCLOS_TRUSTED_PROXIES: whose X-Forwarded-For tells a client's address (for password-guess limits). */
    private static org.huisclos.signaling.ClientAddresses trustedProxies(Reader r) {
        try {
            return org.huisclos.signaling.ClientAddresses.trusting(r.string("HUISCLOS_TRUSTED_PROXIES", ""));
        } catch (IllegalArgumentException e) {
            throw new Invalid("HUISCLOS_TRUSTED_PROXIES must be a comma-separated list of IP addresses or CIDR blocks "
                    + "(such as 127.0.0.1,10.0.0.0/8): " + e.getMessage());
        }
    }

    /** HUISCLOS_TURN_URLS and HUISCLOS_TURN_SECRET go together; null when neither is set (no TURN). */
    private static TurnCredentials turn(Reader r) {
        List<String> urls = new ArrayList<>();
        for (String u : r.string("HUISCLOS_TURN_URLS", "").split(",")) {
            if (u.isBlank()) {
                continue;
            }
            Matcher m = TURN_URL.matcher(u.trim());
            if (!m.matches() || (m.group(3) != null && (Integer.parseInt(m.group(3)) < 1 || Integer.parseInt(m.group(3)) > 65535))) {
                throw new Invalid("HUISCLOS_TURN_URLS must be a comma-separated list of turn: or turns: URLs such as "
                        + "turn:turn.example.org:3478?transport=udp or turns:turn.example.org:443?transport=tcp "
                        + "(host or [IPv6 address], port 1-65535, transport udp or tcp), got '" + u.trim() + "'");
            }
            if (m.group(1).equals("turns") && "udp".equals(m.group(4))) {
                throw new Invalid("HUISCLOS_TURN_URLS: a turns: URL is TURN over TLS, which browsers speak over TCP only: "
                        + "write ?transport=tcp or leave the transport out, got '" + u.trim() + "'");
            }
            urls.add(u.trim());
        }
        String secret = r.string("HUISCLOS_TURN_SECRET", "");
        int ttl = r.integer("HUISCLOS_TURN_TTL", DEFAULT_TURN_TTL_SECONDS, 60, 86_400);
        if (urls.isEmpty() && secret.isEmpty()) {
            return null;
        }
        if (urls.isEmpty()) {
            throw new Invalid("HUISCLOS_TURN_SECRET is set but HUISCLOS_TURN_URLS is not: set both (the TURN server's "
                    + "turn:/turns: URLs and its static-auth-secret) to offer TURN to browsers, or neither");
        }
        if (secret.isEmpty()) {
            throw new Invalid("HUISCLOS_TURN_URLS is set but HUISCLOS_TURN_SECRET is not: set it to the TURN server's "
                    + "static-auth-secret (coturn's use-auth-secret), or unset HUISCLOS_TURN_URLS");
        }
        if (secret.length() < 16) {
            throw new Invalid("HUISCLOS_TURN_SECRET must be at least 16 characters (`openssl rand -hex 32` makes a good one)");
        }
        return new TurnCredentials(urls, secret, Duration.ofSeconds(ttl));
    }

    private static byte[] uuidBytes() {
        return UUID.randomUUID().toString().getBytes(StandardCharsets.US_ASCII);
    }

    private record Reader(Map<String, String> env) {
        String string(String name, String fallback) {
            String v = env.get(name);
            return v == null || v.isBlank() ? fallback : v.trim();
        }

        int integer(String name, int fallback, int min, int max) {
            String v = env.get(name);
            if (v == null || v.isBlank()) {
                return fallback;
            }
            try {
                int n = Integer.parseInt(v.trim());
                if (n < min || n > max) {
                    throw new Invalid(name + " must be between " + min + " and " + max + ", got " + n);
                }
                return n;
            } catch (NumberFormatException e) {
                throw new Invalid(name + " must be a whole number, got '" + v.trim() + "'");
            }
        }

        /** "1" or "true" turns it on; unset, empty, "0" or "false" leave it off. */
        boolean flag(String name) {
            String v = string(name, "0");
            if (v.equals("1") || v.equalsIgnoreCase("true")) {
                return true;
            }
            if (v.equals("0") || v.equalsIgnoreCase("false")) {
                return false;
            }
            throw new Invalid(name + " must be 1 or 0 (true or false), got '" + v + "'");
        }

        int port(String name, int fallback) {
            return integer(name, fallback, 0, 65535);
        }
    }

    @Override
    public String toString() {
        return "Settings" + Arrays.asList(role, httpPort, mediaUdpPort, mediaTcpPort, mediaHttpPort, nodeId, tls, turn);
    }
}
