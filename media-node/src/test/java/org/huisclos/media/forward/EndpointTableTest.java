package org.huisclos.media.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** Source addresses to endpoints, including IPv6 addresses whose keys collide on purpose. */
class EndpointTableTest {
    private final EndpointTable table = new EndpointTable();
    private final Room room = new Room("0123456789abcdef0123456789abcdef");

    private Endpoint endpointAt(String id, InetSocketAddress a) {
        Endpoint e = new Endpoint(id, room);
        e.udpPath(null, a, new Endpoint.PathChange());
        table.addAddress(a, e);
        return e;
    }

    private static InetSocketAddress v6(String literal, int port) throws Exception {
        return new InetSocketAddress(InetAddress.getByName(literal), port);
    }

    @Test
    void ipv6AddressesWhoseKeysCollideEachLeadToTheirOwnEndpoint() throws Exception {
        // The JDK's Inet6Address hash adds up the four 32-bit words: swapping two words keeps it.
        InetSocketAddress a = v6("fd00::1", 5000);
        InetSocketAddress b = v6("fd00::1:0:0", 5000);
        assertEquals(a.getAddress().hashCode(), b.getAddress().hashCode(), "the two addresses collide");
        assertEquals(EndpointTable.addressKey(a), EndpointTable.addressKey(b));

        Endpoint ada = endpointAt("ada", a);
        Endpoint eve = endpointAt("eve", b); // Eve picks an address whose key is Ada's
        assertSame(ada, table.byAddress(a), "Ada's packets still reach Ada");
        assertSame(eve, table.byAddress(b));
        assertNull(table.byAddress(v6("fd00::1:0", 5000)), "an address nobody checked from leads nowhere");
        assertEquals(2, table.addressCount());

        table.remove(eve);
        assertSame(ada, table.byAddress(a), "Eve leaving takes only her own entry");
        assertNull(table.byAddress(b));
        table.remove(ada);
        assertEquals(0, table.addressCount());
    }

    @Test
    void anAddressCheckedByAnotherEndpointNowLeadsThere() throws Exception {
        InetSocketAddress a = new InetSocketAddress(InetAddress.getByName("192.0.2.7"), 40000);
        Endpoint first = endpointAt("first", a);
        Endpoint second = endpointAt("second", a); // e.g. a NAT gave the port to another participant
        assertSame(second, table.byAddress(a));
        assertEquals(1, table.addressCount());
        table.remove(first);
        assertSame(second, table.byAddress(a), "the first endpoint leaving does not take the second's address");
    }
}
