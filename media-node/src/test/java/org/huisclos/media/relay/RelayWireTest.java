package org.huisclos.media.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Found while writing the event-bus fuzz target (docs/reliability.md). */
class RelayWireTest {
    @Test
    void hostNamesThatLookLikeHexOrDigitsAreRefusedBeforeAnyLookup() {
        // Before: "cafe" and "1.2.3.4.5" passed the literal check and InetAddress looked them up as names.
        for (String address : new String[] {"cafe:5000", "1.2.3.4.5:5000", "999.0.0.1:5000", "beef.1:5000"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> RelayWire.parseAddress(address), address);
            assertEquals("address must be an IP literal", e.getMessage(), address);
        }
    }

    @Test
    void ipLiteralsStillParse() {
        assertEquals(5000, RelayWire.parseAddress("192.0.2.1:5000").getPort());
        assertEquals("/192.0.2.1", RelayWire.parseAddress("192.0.2.1:5000").getAddress().toString());
        assertEquals(5000, RelayWire.parseAddress("[2001:db8::1]:5000").getPort());
        assertEquals(5000, RelayWire.parseAddress("::1:5000").getPort());
    }
}
