package org.huisclos.media.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.huisclos.media.dtls.DtlsRole;
import org.huisclos.media.forward.Endpoint;
import org.huisclos.media.forward.Room;
import org.junit.jupiter.api.Test;

/** Sums over open and closed links never go down; RTT is the worst open link's; open links are counted. */
class RelayTotalsTest {
    private static RelayLink link(String peer) {
        RelayLink l = new RelayLink("room", peer, new Endpoint("relay:" + peer, new Room("room"), true), DtlsRole.CLIENT);
        l.stats = new LinkStats("pwd");
        return l;
    }

    @Test
    void closedLinksStayInTheSums() {
        RelayTotals t = new RelayTotals();
        RelayLink a = link("a");
        RelayLink b = link("b");
        a.stats.received(100, false);
        a.stats.received(60, true);
        b.stats.received(200, false);
        byte[] rtp = new byte[120];
        rtp[0] = (byte) 0x80;
        rtp[1] = 96;
        b.stats.sent(rtp, 120);
        t.update(List.of(a, b));
        assertEquals(2, t.openLinks());
        assertEquals(3, t.packetsIn());
        assertEquals(360, t.bytesIn());
        assertEquals(1, t.packetsOut());
        assertEquals(120, t.bytesOut());
        assertEquals(0, t.rttSeconds());

        a.stats.received(40, false);
        t.retire(a);
        t.update(List.of(b));
        assertEquals(4, t.packetsIn(), "a's packets, the last one too, stay after it closed");
        assertEquals(400, t.bytesIn());
        t.retire(b);
        t.update(List.of());
        assertEquals(4, t.packetsIn());
        assertEquals(1, t.packetsOut());
        assertEquals(0, t.openLinks());
    }
}
