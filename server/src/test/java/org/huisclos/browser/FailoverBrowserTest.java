package org.huisclos.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.huisclos.launcher.Huisclos;
import org.huisclos.launcher.TestCluster;
import org.huisclos.registry.RoomRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Failover with real browsers: two Chromium participants meet through a signaling member and
 * one of two media nodes; the hosting node stops; both are moved to the other node and decode
 * each other's video again, by themselves. Prints the time from the stop to the first frame
 * decoded on the new peer connection.
 */
class FailoverBrowserTest {
    private static final Duration MEDIA_DEADLINE = Duration.ofSeconds(60);
    private final List<BrowserParticipant> browsers = new ArrayList<>();
    private TestCluster cluster;

    @AfterEach
    void stopAll() {
        for (BrowserParticipant b : browsers) {
            b.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private BrowserParticipant join(Huisclos signaling, String room, String name) {
        BrowserParticipant b = new ChromiumParticipant(name);
        browsers.add(b);
        b.open("http://127.0.0.1:" + signaling.httpPort() + "/" + room + "?name=" + name + "&autojoin=1");
        return b;
    }

    /** Video frames decoded from {@code other} on the current peer connections, by {@code other}'s SSRCs. */
    private static long framesFrom(BrowserParticipant b, BrowserParticipant other) {
        return RtcStats.from(b, other).framesDecoded();
    }

    private static long moves(BrowserParticipant b) {
        Object n = b.js("return window.huisclos.mediaMoves || 0");
        return ((Number) n).longValue();
    }

    @Test
    void browsersDecodeEachOtherAgainAfterTheirMediaNodeStops() throws Exception {
        cluster = new TestCluster("failover-browser", 3);
        Huisclos signaling = cluster.start(0, "signaling", null);
        cluster.start(1, "media", "a-node");
        cluster.start(2, "media", "b-node");
        TestCluster.awaitNodes(signaling, "a-node", "b-node");

        BrowserParticipant ada = join(signaling, "failover-meeting", "Ada");
        BrowserParticipant grace = join(signaling, "failover-meeting", "Grace");
        for (BrowserParticipant b : browsers) {
            b.waitUntil(b.name() + " joined", Duration.ofSeconds(30),
                    () -> b.js("return window.huisclos.participantId") != null);
        }
        Map<BrowserParticipant, BrowserParticipant> other = Map.of(ada, grace, grace, ada);
        for (BrowserParticipant b : browsers) {
            b.waitUntil(b.name() + " decodes the other's video", MEDIA_DEADLINE, () -> framesFrom(b, other.get(b)) > 0);
        }
        var rooms = signaling.hazelcast().<String, RoomRecord>getMap("huisclos-rooms");
        assertEquals(List.of("a-node"), rooms.values().iterator().next().nodes(), "a room on one node while it fits");

        long stopped = System.nanoTime();
        cluster.stop(1);
        long stopReturnedMs = (System.nanoTime() - stopped) / 1_000_000;
        for (BrowserParticipant b : browsers) {
            b.waitUntil(b.name() + " decodes the other's video on a new peer connection", Duration.ofSeconds(30),
                    () -> moves(b) >= 1 && framesFrom(b, other.get(b)) > 0);
            long ms = (System.nanoTime() - stopped) / 1_000_000;
            System.out.println("FAILOVER (browser, clean stop): " + b.name() + " decodes video again " + ms
                    + " ms after the stop began (stop() itself took " + stopReturnedMs + " ms; polled every 200 ms)");
        }
        assertEquals(List.of("b-node"), rooms.values().iterator().next().nodes(), "the dead node left the room");
        for (BrowserParticipant b : browsers) {
            assertEquals(1L, moves(b), b.name() + " moved once");
            assertEquals(1L, ((Number) b.js("return document.querySelectorAll('#grid .tile').length - 1")).longValue(),
                    b.name() + " keeps the other's tile");
            assertNotEquals("error", b.js("return document.getElementById('status').dataset.kind"));
        }
    }

    @Test
    void browsersDecodeEachOtherAgainAfterTheirMediaNodeDrains() throws Exception {
        cluster = new TestCluster("drain-browser", 3);
        Huisclos signaling = cluster.start(0, "signaling", null);
        Huisclos a = cluster.start(1, "media", "a-node");
        cluster.start(2, "media", "b-node");
        TestCluster.awaitNodes(signaling, "a-node", "b-node");

        BrowserParticipant ada = join(signaling, "drain-meeting", "Ada");
        BrowserParticipant grace = join(signaling, "drain-meeting", "Grace");
        for (BrowserParticipant b : browsers) {
            b.waitUntil(b.name() + " joined", Duration.ofSeconds(30),
                    () -> b.js("return window.huisclos.participantId") != null);
        }
        Map<BrowserParticipant, BrowserParticipant> other = Map.of(ada, grace, grace, ada);
        for (BrowserParticipant b : browsers) {
            b.waitUntil(b.name() + " decodes the other's video", MEDIA_DEADLINE, () -> framesFrom(b, other.get(b)) > 0);
        }

        long started = System.nanoTime();
        var drained = a.drain(Duration.ofSeconds(30));
        for (BrowserParticipant b : browsers) {
            b.waitUntil(b.name() + " decodes the other's video after the drain", Duration.ofSeconds(30),
                    () -> moves(b) >= 1 && framesFrom(b, other.get(b)) > 0);
            System.out.println("DRAIN (browser): " + b.name() + " decodes video on the new node "
                    + (System.nanoTime() - started) / 1_000_000 + " ms after the drain began");
        }
        assertEquals(true, drained.get(30, java.util.concurrent.TimeUnit.SECONDS));
        var rooms = signaling.hazelcast().<String, RoomRecord>getMap("huisclos-rooms");
        TestCluster.await("the drained node left the room", Duration.ofSeconds(5),
                () -> List.of("b-node").equals(rooms.values().iterator().next().nodes()));
    }
}
