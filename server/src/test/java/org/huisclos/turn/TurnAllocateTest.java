package org.huisclos.turn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The credentials Huisclos hands browsers work against a real coturn (Debian's turnserver, on
 * 127.0.0.1): an RFC 5766 Allocate with them succeeds and yields a relayed address; a credential
 * made with another secret, or one past its expiry, is refused with 401.
 */
class TurnAllocateTest {
    private static final Duration ANSWER = Duration.ofSeconds(10);
    private static final String SECRET = HexFormat.of().formatHex(new SecureRandom().generateSeed(24));
    private static Coturn coturn;

    @BeforeAll
    static void startCoturn() throws Exception {
        coturn = Coturn.start("127.0.0.1", 0, SECRET);
    }

    @AfterAll
    static void stopCoturn() {
        if (coturn != null) {
            coturn.close();
        }
    }

    private static TurnCredentials credentials(String secret, Clock clock) {
        return new TurnCredentials(List.of(coturn.url("udp")), secret, Duration.ofSeconds(600), clock);
    }

    private static TurnClient.Response challenge(TurnClient client) throws Exception {
        TurnClient.Response r = client.allocateUnauthenticated(ANSWER);
        assertNotNull(r, "coturn did not answer an Allocate; its log:\n" + coturn.log());
        assertFalse(r.success());
        assertEquals(401, r.errorCode(), "an Allocate without credentials is challenged");
        assertEquals(Coturn.REALM, r.realm());
        assertNotNull(r.nonce(), "a 401 carries a NONCE");
        return r;
    }

    @Test
    void allocateWithHuisclosCredentialsGetsARelayedAddress() throws Exception {
        TurnCredentials.Credential c = credentials(SECRET, Clock.systemUTC()).issue();
        try (TurnClient client = new TurnClient(coturn.address())) {
            TurnClient.Response challenge = challenge(client);
            TurnClient.Response r = client.allocate(c.username(), c.credential(), challenge.realm(), challenge.nonce(), ANSWER);
            assertNotNull(r, "no answer to the authenticated Allocate");
            assertTrue(r.success(), "Allocate refused with " + r.errorCode() + "; coturn's log:\n" + coturn.log());
            assertTrue(r.integrityValid(), "the success carries MESSAGE-INTEGRITY made with the same long-term key");
            assertNotNull(r.relayed(), "a success carries XOR-RELAYED-ADDRESS");
            assertEquals(InetAddress.getByName("127.0.0.1"), r.relayed().getAddress());
            assertTrue(r.relayed().getPort() >= 49160 && r.relayed().getPort() <= 49999, r.relayed().toString());
            TurnClient.Response released = client.release(c.username(), c.credential(), challenge.realm(), challenge.nonce(), ANSWER);
            assertTrue(released != null && released.success(), "Refresh with LIFETIME 0 frees the allocation");
        }
    }

    @Test
    void credentialMadeWithAnotherSecretIsRefused() throws Exception {
        TurnCredentials.Credential c = credentials(SECRET + "-not", Clock.systemUTC()).issue();
        try (TurnClient client = new TurnClient(coturn.address())) {
            TurnClient.Response challenge = challenge(client);
            TurnClient.Response r = client.allocate(c.username(), c.credential(), challenge.realm(), challenge.nonce(), ANSWER);
            assertNotNull(r, "no answer to the Allocate");
            assertFalse(r.success());
            assertEquals(401, r.errorCode());
        }
    }

    @Test
    void expiredCredentialIsRefused() throws Exception {
        // Issued an hour ago with a 600 s lifetime: the right secret, but the expiry has passed.
        Clock anHourAgo = Clock.fixed(Instant.now().minusSeconds(3600), ZoneOffset.UTC);
        TurnCredentials.Credential c = credentials(SECRET, anHourAgo).issue();
        try (TurnClient client = new TurnClient(coturn.address())) {
            TurnClient.Response challenge = challenge(client);
            TurnClient.Response r = client.allocate(c.username(), c.credential(), challenge.realm(), challenge.nonce(), ANSWER);
            assertNotNull(r, "no answer to the Allocate");
            assertFalse(r.success());
            assertEquals(401, r.errorCode());
        }
    }
}
