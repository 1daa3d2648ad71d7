package org.huisclos.launcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A bad configuration stops start-up with a message naming the variable and what it should be. */
class SettingsTest {

    @Test
    void defaultsAreThoseOfTheReferenceFile() {
        Settings s = Settings.fromEnvironment(Map.of());
        assertEquals(Role.ALL, s.role());
        assertEquals(8080, s.httpPort());
        assertEquals(10000, s.mediaUdpPort());
        assertEquals(10000, s.mediaTcpPort(), "ICE-TCP takes the UDP port's number by default");
        assertEquals(10000, s.mediaTcpPort(), "ICE-TCP on the same number as UDP: the protocols differ");
        assertFalse(s.testBlockMediaUdp());
        assertEquals("127.0.0.1", s.publicIp());
        assertTrue(s.publicIpDefaulted(), "an unset public address is reported, for the start-up warning");
        assertEquals("127.0.0.1", s.relayIp(), "relay links to the public address unless told otherwise");
        assertEquals(200, s.mediaCapacity());
        assertEquals(5701, s.clusterPort());
        assertEquals(List.of(), s.clusterMembers());
        assertNull(s.roomKeySecret(), "no configured secret: the cluster shares a random one");
        assertTrue(s.nodeId().matches("node-[0-9a-f]{8}"), s.nodeId());
    }

    @Test
    void readsEveryVariable() {
        Settings s = Settings.fromEnvironment(Map.of(
                "HUISCLOS_ROLE", "media",
                "HUISCLOS_HTTP_PORT", "8443",
                "HUISCLOS_MEDIA_UDP_PORT", "20000",
                "HUISCLOS_PUBLIC_IP", "203.0.113.7",
                "HUISCLOS_RELAY_IP", "10.8.0.11",
                "HUISCLOS_NODE_ID", "media-1",
                "HUISCLOS_REGION", "eu-west",
                "HUISCLOS_ROOM_KEY_SECRET", "0123456789abcdef0123",
                "HUISCLOS_CLUSTER_MEMBERS", "10.0.0.1:5701, 10.0.0.2:5701",
                "HUISCLOS_SIGNALING_URLS", "https://a.example.org,https://b.example.org/"));
        assertEquals(Role.MEDIA, s.role());
        assertEquals(8443, s.httpPort());
        assertEquals(20000, s.mediaUdpPort());
        assertEquals(20000, s.mediaTcpPort(), "following the UDP port");
        assertEquals("203.0.113.7", s.publicIp());
        assertEquals("10.8.0.11", s.relayIp());
        assertEquals("203.0.113.7", Settings.fromEnvironment(Map.of("HUISCLOS_PUBLIC_IP", "203.0.113.7")).relayIp());
        assertEquals("media-1", s.nodeId());
        assertEquals("eu-west", s.region());
        assertArrayEquals("0123456789abcdef0123".getBytes(StandardCharsets.UTF_8), s.roomKeySecret());
        assertEquals(List.of("10.0.0.1:5701", "10.0.0.2:5701"), s.clusterMembers());
        assertEquals(List.of("https://a.example.org", "https://b.example.org"), s.signalingUrls());
    }

    @Test
    void readsTheIceTcpPortAndTheUdpTestSwitch() {
        Settings s = Settings.fromEnvironment(Map.of("HUISCLOS_MEDIA_TCP_PORT", "10443",
                "HUISCLOS_TEST_BLOCK_MEDIA_UDP", "1"));
        assertEquals(10443, s.mediaTcpPort());
        assertTrue(s.testBlockMediaUdp());
        assertFalse(Settings.fromEnvironment(Map.of("HUISCLOS_TEST_BLOCK_MEDIA_UDP", "false")).testBlockMediaUdp());
        Settings.Invalid e = assertThrows(Settings.Invalid.class,
                () -> Settings.fromEnvironment(Map.of("HUISCLOS_TEST_BLOCK_MEDIA_UDP", "yes")));
        assertTrue(e.getMessage().startsWith("HUISCLOS_TEST_BLOCK_MEDIA_UDP must be 1 or 0"), e.getMessage());
        e = assertThrows(Settings.Invalid.class, () -> Settings.fromEnvironment(Map.of("HUISCLOS_MEDIA_TCP_PORT", "-1")));
        assertTrue(e.getMessage().startsWith("HUISCLOS_MEDIA_TCP_PORT must be between 0 and 65535"), e.getMessage());
    }

    @Test
    void readsTheIceTcpLimits() {
        Settings d = Settings.fromEnvironment(Map.of());
        assertEquals(2000, d.mediaTcpLimits().maxConnections());
        assertEquals(8, d.mediaTcpLimits().maxPerAddress());
        assertEquals(3_000_000_000L, d.mediaTcpLimits().checkTimeoutNanos());
        Settings s = Settings.fromEnvironment(Map.of("HUISCLOS_MEDIA_TCP_MAX_CONNECTIONS", "500",
                "HUISCLOS_MEDIA_TCP_MAX_PER_ADDRESS", "4", "HUISCLOS_MEDIA_TCP_CHECK_TIMEOUT_MS", "2000"));
        assertEquals(500, s.mediaTcpLimits().maxConnections());
        assertEquals(4, s.mediaTcpLimits().maxPerAddress());
        assertEquals(2_000_000_000L, s.mediaTcpLimits().checkTimeoutNanos());
        Map<Map<String, String>, String> bad = Map.of(
                Map.of("HUISCLOS_MEDIA_TCP_MAX_CONNECTIONS", "0"), "HUISCLOS_MEDIA_TCP_MAX_CONNECTIONS must be between 1 and",
                Map.of("HUISCLOS_MEDIA_TCP_MAX_PER_ADDRESS", "many"), "HUISCLOS_MEDIA_TCP_MAX_PER_ADDRESS must be a whole number",
                Map.of("HUISCLOS_MEDIA_TCP_CHECK_TIMEOUT_MS", "10"), "HUISCLOS_MEDIA_TCP_CHECK_TIMEOUT_MS must be between 100 and",
                Map.of("HUISCLOS_MEDIA_TCP_MAX_CONNECTIONS", "4", "HUISCLOS_MEDIA_TCP_MAX_PER_ADDRESS", "8"),
                "HUISCLOS_MEDIA_TCP_MAX_PER_ADDRESS (8) must not exceed HUISCLOS_MEDIA_TCP_MAX_CONNECTIONS (4)");
        bad.forEach((env, message) -> {
            Settings.Invalid e = assertThrows(Settings.Invalid.class, () -> Settings.fromEnvironment(env), env.toString());
            assertTrue(e.getMessage().startsWith(message), e.getMessage());
        });
    }

    @Test
    void readsTheClientQuotas() {
        Settings d = Settings.fromEnvironment(Map.of());
        assertEquals(60, d.websocketsPerClientPerMinute());
        assertEquals(30, d.joinsPerClientPerMinute());
        assertEquals(100, d.mediaNodeConfig().roomCapacity());
        assertEquals(12, Settings.fromEnvironment(Map.of("HUISCLOS_ROOM_MAX_PARTICIPANTS", "12")).mediaNodeConfig().roomCapacity());
        Settings s = Settings.fromEnvironment(Map.of("HUISCLOS_WEBSOCKETS_PER_CLIENT_PER_MINUTE", "200",
                "HUISCLOS_JOINS_PER_CLIENT_PER_MINUTE", "100"));
        assertEquals(200, s.websocketsPerClientPerMinute());
        assertEquals(100, s.joinsPerClientPerMinute());
        Settings.Invalid e = assertThrows(Settings.Invalid.class,
                () -> Settings.fromEnvironment(Map.of("HUISCLOS_JOINS_PER_CLIENT_PER_MINUTE", "0")));
        assertTrue(e.getMessage().startsWith("HUISCLOS_JOINS_PER_CLIENT_PER_MINUTE must be between 1 and"), e.getMessage());
    }

    @Test
    void readsTheTrustedProxies() {
        Settings s = Settings.fromEnvironment(Map.of("HUISCLOS_TRUSTED_PROXIES", "127.0.0.1, 10.0.0.0/8"));
        assertEquals("203.0.113.5", s.clientAddresses().clientOf("10.1.1.1", "203.0.113.5"));
        assertEquals("10.1.1.1", Settings.fromEnvironment(Map.of()).clientAddresses().clientOf("10.1.1.1", "203.0.113.5"),
                "by default no proxy is trusted");
        Settings.Invalid e = assertThrows(Settings.Invalid.class,
                () -> Settings.fromEnvironment(Map.of("HUISCLOS_TRUSTED_PROXIES", "caddy")));
        assertTrue(e.getMessage().startsWith("HUISCLOS_TRUSTED_PROXIES must be a comma-separated list"), e.getMessage());
    }

    @Test
    void badValuesNameTheVariableAndWhatItShouldBe() {
        Map<Map<String, String>, String> cases = Map.of(
                Map.of("HUISCLOS_HTTP_PORT", "eighty"), "HUISCLOS_HTTP_PORT must be a whole number",
                Map.of("HUISCLOS_MEDIA_UDP_PORT", "70000"), "HUISCLOS_MEDIA_UDP_PORT must be between 0 and 65535",
                Map.of("HUISCLOS_PUBLIC_IP", "my server"), "HUISCLOS_PUBLIC_IP must be an IP address",
                Map.of("HUISCLOS_RELAY_IP", "media-2.lan"), "HUISCLOS_RELAY_IP must be an IP address",
                Map.of("HUISCLOS_ROLE", "everything"), "HUISCLOS_ROLE must be one of all, signaling, media, registry",
                Map.of("HUISCLOS_ROOM_KEY_SECRET", "short"), "HUISCLOS_ROOM_KEY_SECRET must be at least 16 characters",
                Map.of("HUISCLOS_CLUSTER_MEMBERS", "10.0.0.1"), "HUISCLOS_CLUSTER_MEMBERS must be a comma-separated list of host:port",
                Map.of("HUISCLOS_NODE_ID", "a node"), "HUISCLOS_NODE_ID must be 1 to 64",
                Map.of("HUISCLOS_MEDIA_CAPACITY", "0"), "HUISCLOS_MEDIA_CAPACITY must be between 1 and 100000",
                Map.of("HUISCLOS_SIGNALING_URLS", "ws://x:1/ws"), "HUISCLOS_SIGNALING_URLS must be a comma-separated list");
        cases.forEach((env, expected) -> {
            Settings.Invalid e = assertThrows(Settings.Invalid.class, () -> Settings.fromEnvironment(env), env.toString());
            assertTrue(e.getMessage().startsWith(expected), "for " + env + ": " + e.getMessage());
        });
    }

    @Test
    void signInVariables() {
        Settings off = Settings.fromEnvironment(Map.of());
        assertNull(off.jwt());
        assertFalse(off.jwtRequiredToOpenRooms());
        Settings hs = Settings.fromEnvironment(Map.of("HUISCLOS_JWT_HS256_SECRET", "x".repeat(32),
                "HUISCLOS_JWT_REQUIRED_TO_OPEN_ROOMS", "true"));
        assertEquals("HS256", hs.jwt().algorithm());
        assertTrue(hs.jwtRequiredToOpenRooms());
        Settings ed = Settings.fromEnvironment(Map.of("HUISCLOS_JWT_ED25519_PUBLIC_KEY",
                java.util.Base64.getEncoder().encodeToString(new org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters(new java.security.SecureRandom()).generatePublicKey().getEncoded())));
        assertEquals("EdDSA", ed.jwt().algorithm());
        assertThrows(Settings.Invalid.class, () -> Settings.fromEnvironment(Map.of("HUISCLOS_JWT_ED25519_PUBLIC_KEY",
                java.util.Base64.getEncoder().encodeToString(new byte[32])))); // not a point of the curve
        Map.of(Map.of("HUISCLOS_JWT_HS256_SECRET", "short"), "HUISCLOS_JWT_HS256_SECRET must be at least 32",
                Map.of("HUISCLOS_JWT_ED25519_PUBLIC_KEY", "AAAA"), "HUISCLOS_JWT_ED25519_PUBLIC_KEY must be",
                Map.of("HUISCLOS_JWT_REQUIRED_TO_OPEN_ROOMS", "true"), "HUISCLOS_JWT_REQUIRED_TO_OPEN_ROOMS needs",
                Map.of("HUISCLOS_JWT_HS256_SECRET", "x".repeat(32), "HUISCLOS_JWT_ED25519_PUBLIC_KEY",
                        java.util.Base64.getEncoder().encodeToString(new org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters(new java.security.SecureRandom()).generatePublicKey().getEncoded())), "HUISCLOS_JWT_HS256_SECRET and")
                .forEach((env, expected) -> {
                    Settings.Invalid e = assertThrows(Settings.Invalid.class, () -> Settings.fromEnvironment(env));
                    assertTrue(e.getMessage().startsWith(expected), "for " + env.keySet() + ": " + e.getMessage());
                    assertFalse(e.getMessage().contains("x".repeat(32)), "the message never quotes a secret");
                });
    }

    @Test
    void turnIsOffUnlessUrlsAndSecretAreSet() {
        assertNull(Settings.fromEnvironment(Map.of()).turn(), "no TURN: the offers carry no iceServers");
        Settings s = Settings.fromEnvironment(Map.of(
                "HUISCLOS_TURN_URLS", "turn:turn.example.org:3478?transport=udp, turns:turn.example.org:443?transport=tcp,"
                        + "turn:[2001:db8::1]:3478,turn:203.0.113.5",
                "HUISCLOS_TURN_SECRET", "0123456789abcdef0123"));
        assertEquals(List.of("turn:turn.example.org:3478?transport=udp", "turns:turn.example.org:443?transport=tcp",
                "turn:[2001:db8::1]:3478", "turn:203.0.113.5"), s.turn().urls());
        assertEquals(Settings.DEFAULT_TURN_TTL_SECONDS, s.turn().lifetime().toSeconds());
        assertEquals(120, Settings.fromEnvironment(Map.of("HUISCLOS_TURN_URLS", "turn:t.example.org",
                "HUISCLOS_TURN_SECRET", "0123456789abcdef0123", "HUISCLOS_TURN_TTL", "120")).turn().lifetime().toSeconds());
    }

    @Test
    void badTurnSettingsSayWhatToFix() {
        String secret = "0123456789abcdef0123";
        Map.of(Map.of("HUISCLOS_TURN_URLS", "stun:turn.example.org:3478", "HUISCLOS_TURN_SECRET", secret),
                        "HUISCLOS_TURN_URLS must be a comma-separated list of turn: or turns: URLs",
                Map.of("HUISCLOS_TURN_URLS", "turn:turn.example.org:99999", "HUISCLOS_TURN_SECRET", secret),
                        "HUISCLOS_TURN_URLS must be a comma-separated list",
                Map.of("HUISCLOS_TURN_URLS", "turn://turn.example.org", "HUISCLOS_TURN_SECRET", secret),
                        "HUISCLOS_TURN_URLS must be a comma-separated list",
                Map.of("HUISCLOS_TURN_URLS", "turns:turn.example.org:443?transport=udp", "HUISCLOS_TURN_SECRET", secret),
                        "HUISCLOS_TURN_URLS: a turns: URL is TURN over TLS",
                Map.of("HUISCLOS_TURN_URLS", "turn:turn.example.org"), "HUISCLOS_TURN_URLS is set but HUISCLOS_TURN_SECRET is not",
                Map.of("HUISCLOS_TURN_SECRET", secret), "HUISCLOS_TURN_SECRET is set but HUISCLOS_TURN_URLS is not",
                Map.of("HUISCLOS_TURN_URLS", "turn:t.example.org", "HUISCLOS_TURN_SECRET", "short"),
                        "HUISCLOS_TURN_SECRET must be at least 16 characters",
                Map.of("HUISCLOS_TURN_URLS", "turn:t.example.org", "HUISCLOS_TURN_SECRET", secret, "HUISCLOS_TURN_TTL", "5"),
                        "HUISCLOS_TURN_TTL must be between 60 and 86400")
                .forEach((env, expected) -> {
                    Settings.Invalid e = assertThrows(Settings.Invalid.class, () -> Settings.fromEnvironment(env));
                    assertTrue(e.getMessage().startsWith(expected), "for " + env + ": " + e.getMessage());
                    assertFalse(e.getMessage().contains(secret), "the message never quotes the secret");
                });
    }
}
