package org.huisclos.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.huisclos.launcher.Huisclos;
import org.huisclos.launcher.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two browsers meet through signaling instance 1 of a small cluster (two signaling instances, one
 * media node, one JVM); instance 1 stops; both pages resume on instance 2 with the same participant
 * id and the same RTCPeerConnection, and keep decoding each other's video throughout.
 */
class SignalingFailoverBrowserTest {
    private static final Duration MEDIA_DEADLINE = Duration.ofSeconds(60);
    private static TestCluster cluster;
    private static Huisclos one;
    private static Huisclos two;
    private static Huisclos media;
    private static int portOne;
    private static int portTwo;
    private static final List<BrowserParticipant> browsers = new ArrayList<>();

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = new TestCluster("signaling-failover-browser", 3);
        int[] http = TestCluster.freePorts(2);
        portOne = http[0];
        portTwo = http[1];
        String urls = "http://127.0.0.1:" + portOne + ",http://127.0.0.1:" + portTwo;
        media = cluster.start(2, "media", "media-failover");
        one = cluster.start(0, "signaling", null,
                Map.of("HUISCLOS_HTTP_PORT", String.valueOf(portOne), "HUISCLOS_SIGNALING_URLS", urls));
        two = cluster.start(1, "signaling", null,
                Map.of("HUISCLOS_HTTP_PORT", String.valueOf(portTwo), "HUISCLOS_SIGNALING_URLS", urls));
        TestCluster.awaitNodes(one, "media-failover");
    }

    @AfterAll
    static void stopAll() {
        for (BrowserParticipant b : browsers) {
            b.close();
        }
        if (cluster != null) {
            cluster.close(); // instance 1, closed by the test already, is passed over
        }
    }

    private static BrowserParticipant join(String name) {
        BrowserParticipant b = new ChromiumParticipant(name);
        browsers.add(b);
        b.open("http://127.0.0.1:" + portOne + "/failover-room?name=" + name + "&autojoin=1");
        return b;
    }

    /** Video frames decoded from {@code other} by {@code b}, from getStats(), by {@code other}'s SSRCs. */
    private static long framesFrom(BrowserParticipant b, BrowserParticipant other) {
        return RtcStats.from(b, other).framesDecoded();
    }

    private static String str(BrowserParticipant b, String expression) {
        return String.valueOf(b.js("return " + expression));
    }

    @Test
    void bothPagesResumeOnTheOtherInstanceWithoutInterruptingMedia() throws Exception {
        BrowserParticipant ada = join("Ada");
        BrowserParticipant grace = join("Grace");
        List<BrowserParticipant> both = List.of(ada, grace);
        for (BrowserParticipant b : both) {
            b.waitUntil(b.name() + " joined", Duration.ofSeconds(30),
                    () -> "joined".equals(b.js("return window.huisclos.state")) && b.js("return window.huisclos.participantId") != null);
        }
        String adaId = str(ada, "window.huisclos.participantId");
        String graceId = str(grace, "window.huisclos.participantId");
        Map<BrowserParticipant, BrowserParticipant> other = Map.of(ada, grace, grace, ada);
        Map<BrowserParticipant, Long> before = new java.util.HashMap<>();
        for (BrowserParticipant b : both) {
            b.waitUntil(b.name() + " decodes the other's video", MEDIA_DEADLINE, () -> framesFrom(b, other.get(b)) > 30);
            b.js("window.huisclos.pc.huisclosMarker = 'first'");
            assertTrue(str(b, "window.huisclos.ws.url").contains(":" + portOne + "/"), "joined through instance 1");
            before.put(b, framesFrom(b, other.get(b)));
        }

        Map<BrowserParticipant, java.util.Set<Long>> ssrcs = Map.of(ada, RtcStats.sendingSsrcs(ada), grace, RtcStats.sendingSsrcs(grace));
        long stopped = System.nanoTime();
        CompletableFuture<Void> closing = CompletableFuture.runAsync(one::close);
        Map<BrowserParticipant, Long> reconnectedAt = new java.util.HashMap<>();
        Map<BrowserParticipant, Long> last = new java.util.HashMap<>(before);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        // Sample frames while the pages reconnect: they never go down and never stall for long.
        long lastRise = System.nanoTime();
        long longestStallMs = 0;
        while (reconnectedAt.size() < both.size()) {
            assertTrue(System.nanoTime() < deadline, "both pages reconnect within 30 s; reconnected: " + reconnectedAt.keySet());
            boolean rose = false;
            for (BrowserParticipant b : both) {
                // The same peer connections throughout (asserted below): the senders' SSRCs read once keep one look per sample.
                long frames = RtcStats.from(b, ssrcs.get(other.get(b))).framesDecoded();
                assertTrue(frames >= last.get(b), b.name() + ": framesDecoded went down: a new peer connection?");
                rose |= frames > last.get(b);
                last.put(b, frames);
                if (!reconnectedAt.containsKey(b) && "joined".equals(b.js("return window.huisclos.state"))
                        && str(b, "window.huisclos.ws && window.huisclos.ws.url").contains(":" + portTwo + "/")
                        && Long.valueOf(1).equals(b.js("return window.huisclos.ws.readyState"))) {
                    reconnectedAt.put(b, System.nanoTime());
                }
            }
            long now = System.nanoTime();
            if (rose) {
                longestStallMs = Math.max(longestStallMs, (now - lastRise) / 1_000_000);
                lastRise = now;
            }
            Thread.sleep(100); // sampling step, bounded by the deadline
        }
        closing.get();
        for (BrowserParticipant b : both) {
            System.out.printf("%s resumed on instance 2 %.0f ms after instance 1 began to stop%n",
                    b.name(), (reconnectedAt.get(b) - stopped) / 1e6);
        }
        System.out.println("longest stretch without a new decoded frame during the switch: " + longestStallMs + " ms");

        for (BrowserParticipant b : both) {
            assertEquals(b == ada ? adaId : graceId, str(b, "window.huisclos.participantId"), "same participant id");
            assertEquals("first", str(b, "window.huisclos.pc.huisclosMarker"), "same RTCPeerConnection");
            assertEquals("connected", str(b, "window.huisclos.pc.connectionState"));
            assertTrue(str(b, "JSON.stringify(window.huisclos.errors.map(e => e.code))").indexOf("resume-failed") < 0);
            long at = last.get(b);
            b.waitUntil(b.name() + " keeps decoding after the switch", MEDIA_DEADLINE, () -> framesFrom(b, other.get(b)) > at + 30);
            assertTrue(b.js("return window.huisclos.participants[arguments[0]]", b == ada ? graceId : adaId) != null,
                    b.name() + " still shows the other participant");
        }
        assertTrue(longestStallMs < 3000, "video kept coming during the switch (longest stall " + longestStallMs + " ms)");
    }
}
