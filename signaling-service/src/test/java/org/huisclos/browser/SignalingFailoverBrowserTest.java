package org.huisclos.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.huisclos.launcher.Huisclos;
import org.huisclos.launcher.Settings;
import org.huisclos.registry.RoomRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two browsers meet through signaling instance 1 of a small cluster (two signaling instances, one
 * media node, one JVM); instance 1 stops; both pages resume on instance 2 with the same participant
 * id and the same RTCPeerConnection, and keep decoding each other's video throughout.
 */
class SignalingFailoverBrowserTest {
    private static final String CLUSTER = "failover-browser-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    // Free ports picked at run time: fixed ones collide with other test runs on the same machine.
    private static final int[] CLUSTER_PORTS = freePorts(3);
    private static final String MEMBERS = "127.0.0.1:" + CLUSTER_PORTS[0] + ",127.0.0.1:" + CLUSTER_PORTS[1]
            + ",127.0.0.1:" + CLUSTER_PORTS[2];
    private static final Duration MEDIA_DEADLINE = Duration.ofSeconds(60);
    private static Huisclos one;
    private static Huisclos two;
    private static Huisclos media;
    private static int portOne;
    private static int portTwo;
    private static final List<BrowserParticipant> browsers = new ArrayList<>();

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static int[] freePorts(int n) {
        java.util.List<java.net.ServerSocket> sockets = new java.util.ArrayList<>();
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; i++) {
                java.net.ServerSocket s = new java.net.ServerSocket(0);
                sockets.add(s);
                ports[i] = s.getLocalPort();
            }
            return ports;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            for (java.net.ServerSocket s : sockets) {
                try {
                    s.close();
                } catch (java.io.IOException ignored) {
                    // closing a probe socket
                }
            }
        }
    }

    private static Huisclos start(String role, int clusterPort, int httpPort) throws Exception {
        return Huisclos.start(Settings.fromEnvironment(Map.ofEntries(
                Map.entry("HUISCLOS_ROLE", role),
                Map.entry("HUISCLOS_HTTP_PORT", String.valueOf(httpPort)),
                Map.entry("HUISCLOS_HTTP_BIND", "127.0.0.1"),
                Map.entry("HUISCLOS_MEDIA_UDP_PORT", "0"),
                Map.entry("HUISCLOS_MEDIA_HTTP_PORT", "0"),
                Map.entry("HUISCLOS_MEDIA_BIND", "127.0.0.1"),
                Map.entry("HUISCLOS_PUBLIC_IP", "127.0.0.1"),
                Map.entry("HUISCLOS_NODE_ID", "media-failover"),
                Map.entry("HUISCLOS_CLUSTER_PORT", String.valueOf(clusterPort)),
                Map.entry("HUISCLOS_CLUSTER_MEMBERS", MEMBERS),
                Map.entry("HUISCLOS_CLUSTER_NAME", CLUSTER),
                Map.entry("HUISCLOS_SIGNALING_URLS", "http://127.0.0.1:" + portOne + ",http://127.0.0.1:" + portTwo))));
    }

    @BeforeAll
    static void startCluster() throws Exception {
        portOne = freePort();
        portTwo = freePort();
        media = start("media", CLUSTER_PORTS[2], 0);
        one = start("signaling", CLUSTER_PORTS[0], portOne);
        two = start("signaling", CLUSTER_PORTS[1], portTwo);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!one.hazelcast().getMap(RoomRegistry.NODES).containsKey("media-failover")) {
            assertTrue(System.nanoTime() < deadline, "the media node never reached the registry");
            Thread.sleep(50); // polling step, bounded by the deadline
        }
    }

    @AfterAll
    static void stopAll() {
        for (BrowserParticipant b : browsers) {
            b.close();
        }
        for (Huisclos h : new Huisclos[] {one, two, media}) {
            if (h != null) {
                try {
                    h.close();
                } catch (RuntimeException e) {
                    // closed already (instance 1)
                }
            }
        }
    }

    private static BrowserParticipant join(String name) {
        BrowserParticipant b = new BrowserParticipant(name);
        browsers.add(b);
        b.open("http://127.0.0.1:" + portOne + "/failover-room?name=" + name + "&autojoin=1");
        return b;
    }

    /** Video frames decoded from {@code other} by {@code b}, from getStats() and the offer's mid map. */
    private static long framesFrom(BrowserParticipant b, String other) {
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
        Map<BrowserParticipant, String> other = Map.of(ada, graceId, grace, adaId);
        Map<BrowserParticipant, Long> before = new java.util.HashMap<>();
        for (BrowserParticipant b : both) {
            b.waitUntil(b.name() + " decodes the other's video", MEDIA_DEADLINE, () -> framesFrom(b, other.get(b)) > 30);
            b.js("window.huisclos.pc.huisclosMarker = 'first'");
            assertTrue(str(b, "window.huisclos.ws.url").contains(":" + portOne + "/"), "joined through instance 1");
            before.put(b, framesFrom(b, other.get(b)));
        }

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
                long frames = framesFrom(b, other.get(b));
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
            assertTrue(b.js("return window.huisclos.participants[arguments[0]]", other.get(b)) != null,
                    b.name() + " still shows the other participant");
        }
        assertTrue(longestStallMs < 3000, "video kept coming during the switch (longest stall " + longestStallMs + " ms)");
    }
}
