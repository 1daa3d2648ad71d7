package org.huisclos.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Which address a client's guesses are counted by, and that only its keyed hash leaves the class. */
class ClientAddressesTest {

    @Test
    void forwardedForCountsOnlyFromATrustedProxyAndItsRightmostUntrustedHop() {
        ClientAddresses a = ClientAddresses.trusting("127.0.0.1, 10.0.0.0/8, fd00::/8");
        assertEquals("203.0.113.5", a.clientOf("127.0.0.1", "203.0.113.5"));
        assertEquals("203.0.113.5", a.clientOf("10.1.2.3", "198.51.100.9, 203.0.113.5, 10.9.9.9"),
                "the rightmost hop no trusted proxy is; what the client wrote itself on the left is ignored");
        assertEquals("192.0.2.1", a.clientOf("192.0.2.1", "203.0.113.5"), "an untrusted peer's header is ignored");
        assertEquals("2001:db8::1", a.clientOf("fd00::2", "2001:db8::1"));
        assertEquals("127.0.0.1", a.clientOf("127.0.0.1", "not-an-address"), "garbage: the proxy itself");
        assertEquals("192.0.2.1", ClientAddresses.direct().clientOf("192.0.2.1", "203.0.113.5"));
    }

    @Test
    void keysAreKeyedHashesNotAddresses() {
        ClientAddresses a = ClientAddresses.trusting("127.0.0.1");
        String key = a.keyOf("127.0.0.1", "203.0.113.5");
        assertEquals(key, a.keyOf("127.0.0.1", "203.0.113.5"));
        assertNotEquals(key, a.keyOf("127.0.0.1", "203.0.113.6"));
        assertFalse(key.contains("203"), key);
        assertTrue(key.matches("[A-Za-z0-9_-]{22}"), key);
        assertNotEquals(key, ClientAddresses.trusting("127.0.0.1").keyOf("127.0.0.1", "203.0.113.5"),
                "the key of the hash is random per process");
        assertEquals(a.keyOf("2001:db8:1:2::1", null), a.keyOf("2001:db8:1:2:ffff:eeee:dddd:cccc", null),
                "an IPv6 client counts by its /64: it can pick any address in it");
        assertNotEquals(a.keyOf("2001:db8:1:2::1", null), a.keyOf("2001:db8:1:3::1", null));
    }

    @Test
    void aBadListSaysWhatIsWrong() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ClientAddresses.trusting("proxy.example"))
                .getMessage().contains("not an IP address"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ClientAddresses.trusting("10.0.0.0/33"))
                .getMessage().contains("prefix length"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ClientAddresses.trusting("256.1.1.1"))
                .getMessage().contains("not an IP address"));
    }
}
