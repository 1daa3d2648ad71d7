package org.huisclos.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.huisclos.launcher.Huisclos;
import org.huisclos.launcher.TestServers;
import org.huisclos.media.transport.DropReason;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Operations issue "networks that block UDP": with the media node's UDP blocked by the test
 * switch (HUISCLOS_TEST_BLOCK_MEDIA_UDP=1, every datagram dropped on arrival; the UDP candidate is
 * still offered, so Chromium tries it and gets nothing), two headless Chromium participants still
 * decode each other's video and receive each other's audio over ICE-TCP (RFC 6544), and getStats()
 * shows that the selected candidate pair is TCP on both ends.
 */
class IceTcpBrowserTest {
    private static final Duration MEDIA_DEADLINE = Duration.ofSeconds(60);
    private static Huisclos server;
    private static final List<BrowserParticipant> browsers = new ArrayList<>();

    /** The selected pair of the page's RTCPeerConnection: transport → selectedCandidatePairId → candidates. */
    private static final String SELECTED_PAIR = """
            (async () => {
              const pc = window.huisclos && window.huisclos.pc;
              if (!pc) return null;
              const stats = await pc.getStats();
              let pairId = null;
              stats.forEach(s => { if (s.type === 'transport' && s.selectedCandidatePairId) pairId = s.selectedCandidatePairId; });
              const pair = pairId && stats.get(pairId);
              if (!pair) return null;
              const local = stats.get(pair.localCandidateId), remote = stats.get(pair.remoteCandidateId);
              return JSON.stringify({state: pair.state, nominated: !!pair.nominated,
                localProtocol: local.protocol, localTcpType: local.tcpType ?? null,
                remoteProtocol: remote.protocol, remoteTcpType: remote.tcpType ?? null,
                remotePort: remote.port, rtt: pair.currentRoundTripTime ?? null,
                bytesSent: pair.bytesSent ?? 0, bytesReceived: pair.bytesReceived ?? 0,
                at: performance.now()});
            })()""";

    @BeforeAll
    static void startServer() throws Exception {
        server = TestServers.start("127.0.0.1", "icetcp-test", Map.of(
                "HUISCLOS_MEDIA_TCP_PORT", "0",
                "HUISCLOS_TEST_BLOCK_MEDIA_UDP", "1"));
    }

    @AfterAll
    static void stopAll() {
        for (BrowserParticipant b : browsers) {
            b.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private static BrowserParticipant join(String room, String name) {
        BrowserParticipant b = new ChromiumParticipant(name);
        browsers.add(b);
        b.open("http://127.0.0.1:" + server.httpPort() + "/" + room + "?name=" + name + "&autojoin=1");
        return b;
    }

    private static JsonObject selectedPair(BrowserParticipant b) {
        Object json = b.jsAsync(SELECTED_PAIR);
        return json == null ? null : new JsonObject((String) json);
    }

    @Test
    void withUdpBlockedTwoChromiumsGetEachOthersMediaOverIceTcp() {
        long start = System.nanoTime();
        BrowserParticipant ada = join("tcp-meeting", "Ada");
        BrowserParticipant grace = join("tcp-meeting", "Grace");
        List<BrowserParticipant> both = List.of(ada, grace);

        long[] connectedMillis = new long[2];
        for (int i = 0; i < 2; i++) {
            BrowserParticipant b = both.get(i);
            int n = i;
            b.waitUntil(b.name() + " has a selected candidate pair", MEDIA_DEADLINE, () -> {
                JsonObject p = selectedPair(b);
                if (p != null && "succeeded".equals(p.getString("state"))) {
                    connectedMillis[n] = Math.round(p.getDouble("at")); // page time: since the page started loading
                    return true;
                }
                return false;
            });
        }
        for (BrowserParticipant b : both) {
            // Over ICE-TCP (the pairs checked above and below), by the other page's own SSRCs.
            RtcStats.awaitMediaFrom(b, both.stream().filter(o -> o != b).toList(), MEDIA_DEADLINE);
        }
        long mediaMillis = (System.nanoTime() - start) / 1_000_000;

        int tcpPort = server.mediaNode().tcpPort();
        for (BrowserParticipant b : both) {
            JsonObject p = selectedPair(b);
            assertEquals("tcp", p.getString("localProtocol"), b.name() + " selected pair " + p);
            assertEquals("tcp", p.getString("remoteProtocol"), b.name() + " selected pair " + p);
            assertEquals("passive", p.getString("remoteTcpType"), b.name() + " selected pair " + p);
            assertEquals(tcpPort, p.getInteger("remotePort"), b.name() + " selected pair " + p);
        }

        // Figures for the report: throughput on the TCP pair over ~3 s, and the round trip.
        JsonObject before = selectedPair(ada);
        ada.waitUntil("3 s of media", Duration.ofSeconds(10), () -> {
            JsonObject now = selectedPair(ada);
            return now.getDouble("at") - before.getDouble("at") >= 3000;
        });
        JsonObject after = selectedPair(ada);
        double seconds = (after.getDouble("at") - before.getDouble("at")) / 1000;
        System.out.printf("[ice-tcp-browser] selected pair tcp/passive; a selected pair %d / %d ms after the page"
                        + " started loading (200 ms polling), media both ways %d ms after the test started; Ada over TCP: %.0f kbit/s in, %.0f kbit/s out, RTT %s s%n",
                connectedMillis[0], connectedMillis[1], mediaMillis,
                (after.getLong("bytesReceived") - before.getLong("bytesReceived")) * 8 / seconds / 1000,
                (after.getLong("bytesSent") - before.getLong("bytesSent")) * 8 / seconds / 1000, after.getValue("rtt"));

        var drops = server.mediaNode().drops();
        assertTrue(drops.count(DropReason.UDP_BLOCKED_FOR_TEST) > 0,
                "Chromium tried the UDP candidate too (the switch dropped its checks)");
        assertEquals(0, drops.count(DropReason.SRTP_AUTH_FAILED), "SRTP authentication failures");
        assertEquals(0, drops.count(DropReason.TCP_BAD_FRAMING), "bad RFC 4571 framing from Chromium");
        System.out.println("[ice-tcp-browser] tcp_backpressure drops: " + drops.count(DropReason.TCP_BACKPRESSURE));
    }
}
