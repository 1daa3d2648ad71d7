package org.huisclos.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.huisclos.browser.BrowserParticipant;
import org.huisclos.browser.ChromiumParticipant;
import org.huisclos.browser.RtcStats;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A meeting across media nodes survives the death of one of them (issue 4): one signaling process
 * and three media processes of capacity 2, each its own JVM. Ada and Grace fill the first node,
 * Alan lands on a second; the room spans both over a relay link. The first node is killed with
 * SIGKILL: Alan keeps his peer connection, Ada and Grace are moved, and since no node has room
 * for both, they land on two nodes; the room goes on across them and everyone decodes everyone's
 * video and audio again. Prints the time from the kill.
 */
class CascadeFailoverBrowserTest {
    private static final Duration MEMBER_START = Duration.ofSeconds(120);
    private static final Duration MEDIA_DEADLINE = Duration.ofSeconds(90);
    private static final String ROOM = "cascade-failover";

    private ClusterProcesses cluster;
    private final List<BrowserParticipant> browsers = new ArrayList<>();

    @AfterEach
    void stopAll() {
        try {
            for (BrowserParticipant b : browsers) {
                b.close();
            }
        } finally {
            if (cluster != null) {
                cluster.close();
            }
        }
    }

    private BrowserParticipant join(ClusterProcesses.Member via, String name) {
        BrowserParticipant b = new ChromiumParticipant(name);
        browsers.add(b);
        b.open(via.url() + "/" + ROOM + "?name=" + name + "&autojoin=1");
        b.waitUntil(name + " joined", Duration.ofSeconds(60), () -> participantId(b) != null);
        return b;
    }

    private static String participantId(BrowserParticipant b) {
        return (String) b.js("return window.huisclos.participantId");
    }

    /** The UDP port of the media node the page's selected candidate pair leads to (null: none yet). */
    private static Long mediaPortOf(BrowserParticipant b) {
        Object port = b.jsAsync("""
                (async () => {
                  const st = await window.huisclos.pc.getStats();
                  let pairId = null;
                  st.forEach(s => { if (s.type === 'transport' && s.selectedCandidatePairId) pairId = s.selectedCandidatePairId; });
                  if (!pairId) return null;
                  const rc = st.get(st.get(pairId).remoteCandidateId);
                  return rc ? rc.port : null;
                })()""");
        return port == null ? null : ((Number) port).longValue();
    }

    /** Waits until {@code b} decodes video and receives audio from each of {@code others}; returns nanoTime then. */
    private static long awaitMediaFrom(BrowserParticipant b, List<BrowserParticipant> others) {
        RtcStats.awaitMediaFrom(b, others, MEDIA_DEADLINE);
        return System.nanoTime();
    }

    private List<BrowserParticipant> othersOf(BrowserParticipant b) {
        return browsers.stream().filter(o -> o != b).toList();
    }

    @Test
    void aDeadNodesParticipantsLandOnTwoNodesAndTheMeetingGoesOn() {
        cluster = new ClusterProcesses("cascade-failover");
        ClusterProcesses.Member signaling = cluster.signaling("signaling-1");
        List<ClusterProcesses.Member> media = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            media.add(cluster.media("media-" + i).env("HUISCLOS_MEDIA_CAPACITY", "2"));
        }
        cluster.startAll(MEMBER_START);

        BrowserParticipant ada = join(signaling, "Ada");
        BrowserParticipant grace = join(signaling, "Grace");
        BrowserParticipant alan = join(signaling, "Alan");
        for (BrowserParticipant b : browsers) {
            awaitMediaFrom(b, othersOf(b));
        }
        Map<BrowserParticipant, Long> ports = new HashMap<>();
        for (BrowserParticipant b : browsers) {
            ports.put(b, mediaPortOf(b));
        }
        assertEquals(ports.get(ada), ports.get(grace), "Ada and Grace fill one node");
        assertNotEquals(ports.get(ada), ports.get(alan), "Alan is on another node: the room spans two");
        ClusterProcesses.Member dead = media.stream().filter(m -> ports.get(ada) == m.udpPort()).findFirst()
                .orElseThrow(() -> new AssertionError("Ada's media port " + ports.get(ada) + " is no node's"));

        for (BrowserParticipant b : browsers) {
            b.js("window.huisclos.pc.__beforeKill = true");
        }
        dead.killHard();
        long killed = System.nanoTime();
        System.out.println("CASCADE FAILOVER: " + dead.name() + " (Ada's and Grace's node) killed with SIGKILL");

        Map<BrowserParticipant, Long> backMs = new HashMap<>();
        for (BrowserParticipant b : browsers) {
            long at = awaitMediaFrom(b, othersOf(b));
            backMs.put(b, (at - killed) / 1_000_000);
        }
        System.out.println("CASCADE FAILOVER: video and audio from everyone again after the kill: "
                + browsers.stream().map(b -> b.name() + " " + backMs.get(b) + " ms").collect(Collectors.joining(", "))
                + " (each measured after the previous, polled)");

        assertEquals(Boolean.TRUE, alan.js("return window.huisclos.pc.__beforeKill === true"),
                "Alan, on a node that lives, keeps his peer connection");
        assertEquals(0L, ((Number) alan.js("return window.huisclos.mediaMoves || 0")).longValue(), "Alan was not moved");
        Set<Long> livePorts = media.stream().filter(m -> m != dead).map(m -> (long) m.udpPort()).collect(Collectors.toSet());
        Long adaPort = mediaPortOf(ada);
        Long gracePort = mediaPortOf(grace);
        assertNotNull(adaPort);
        assertNotNull(gracePort);
        assertTrue(livePorts.contains(adaPort) && livePorts.contains(gracePort),
                "Ada and Grace are on live nodes " + livePorts + ": " + adaPort + ", " + gracePort);
        assertNotEquals(adaPort, gracePort, "no node had room for both: they landed on two nodes");
        assertEquals(2, new java.util.HashSet<>(List.of(adaPort, gracePort, mediaPortOf(alan))).size(),
                "the room spans the two live nodes");
    }
}
