package org.huisclos.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.huisclos.browser.TestNetwork;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A meeting across a real cluster: two signaling processes and three media processes, each its
 * own JVM (the registry lives on the signaling members). Ada (Chromium) joins through signaling 1,
 * Grace (Firefox, in the test's network namespace; the cluster serves on its host side) through
 * signaling 2, same room: each proves from getStats() that it decodes the other's video and
 * receives the other's audio, and both reach the same media node. Then signaling 2 is killed with
 * SIGKILL: media between Ada and Grace keeps flowing, since it never goes through signaling, and
 * Grace's page resumes on signaling 1 as the same participant on the same peer connection. Last,
 * the room's media node is killed with SIGKILL: both pages are moved to another node and decode
 * each other's video again (the time is printed: 1.7 s Chromium-only on a quiet machine).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterBrowserTest {
    private static final Duration MEMBER_START = Duration.ofSeconds(120);
    private static final Duration MEDIA_DEADLINE = Duration.ofSeconds(90);
    private static final Duration AFTER_KILL = Duration.ofSeconds(5);
    /** Longest time framesDecoded may stay flat after the kill (about 20 frames at the fake camera's rate). */
    private static final Duration MAX_GAP = Duration.ofMillis(2000);
    private static final String ROOM = "cluster-meeting";

    private ClusterProcesses cluster;
    private ClusterProcesses.Member signaling1;
    private ClusterProcesses.Member signaling2;
    private final List<ClusterProcesses.Member> mediaNodes = new ArrayList<>();
    private final List<BrowserParticipant> browsers = new ArrayList<>();
    private BrowserParticipant ada;
    private BrowserParticipant grace;
    private String adaId;
    private String graceId;
    private boolean meetingUp;
    private boolean signalingKilled;

    @BeforeAll
    void startCluster() {
        cluster = new ClusterProcesses("cluster-browser").serveOn(TestNetwork.shared().hostAddress());
        try {
            signaling1 = cluster.signaling("signaling-1");
            signaling2 = cluster.signaling("signaling-2");
            for (int i = 1; i <= 3; i++) {
                mediaNodes.add(cluster.media("media-" + i));
            }
            long t0 = System.nanoTime();
            cluster.startAll(MEMBER_START);
            Duration total = Duration.ofNanos(System.nanoTime() - t0);
            System.out.println("cluster " + cluster.clusterName() + " started in " + total.toMillis() + " ms: "
                    + cluster.members().stream().map(m -> m.name() + " " + m.startDuration().toMillis() + " ms")
                    .collect(Collectors.joining(", ")));
            System.out.println("members: " + cluster.members());
        } catch (RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
    }

    @AfterAll
    void stopAll() {
        try {
            for (BrowserParticipant b : browsers) {
                try {
                    b.close();
                } catch (RuntimeException e) {
                    System.out.println("closing browser " + b.name() + ": " + e);
                }
            }
        } finally {
            if (cluster != null) {
                cluster.close();
            }
        }
    }

    private BrowserParticipant join(ClusterProcesses.Member via, String name, BrowserParticipant.Kind kind) {
        BrowserParticipant b = kind == BrowserParticipant.Kind.FIREFOX ? BrowserParticipant.firefox(name)
                : new ChromiumParticipant(name, false, "--unsafely-treat-insecure-origin-as-secure="
                        + signaling1.url() + "," + signaling2.url());
        browsers.add(b);
        b.open(via.url() + "/" + ROOM + "?name=" + name + "&autojoin=1");
        return b;
    }

    private static String participantId(BrowserParticipant b) {
        return (String) b.js("return window.huisclos.participantId");
    }

    /** [video frames decoded, audio packets received] from {@code other}, from getStats(), by {@code other}'s SSRCs. */
    private static long[] mediaFrom(BrowserParticipant b, BrowserParticipant other) {
        return mediaFrom(b, RtcStats.sendingSsrcs(other));
    }

    private static long[] mediaFrom(BrowserParticipant b, java.util.Set<Long> senderSsrcs) {
        RtcStats.FromParticipant m = RtcStats.from(b, senderSsrcs);
        return new long[] {m.framesDecoded(), m.audioPackets()};
    }

    /**
     * Waits until {@code b} decodes video and receives audio from {@code other}, rising between two
     * looks; returns when the first decoded frame was seen, in nanoTime.
     */
    private static long awaitMediaFrom(BrowserParticipant b, BrowserParticipant other) {
        long[] first = new long[1];
        long[][] before = new long[1][];
        b.waitUntil(b.name() + " decodes video and receives audio from " + other, MEDIA_DEADLINE, () -> {
            long[] m = mediaFrom(b, other);
            if (m[0] > 0 && first[0] == 0) {
                first[0] = System.nanoTime();
            }
            if (m[0] == 0 || m[1] == 0) {
                return false;
            }
            if (before[0] == null) {
                before[0] = m;
                return false;
            }
            return m[0] > before[0][0] && m[1] > before[0][1];
        });
        return first[0];
    }

    /** The UDP port of the remote side of the page's selected ICE candidate pair: the media node it talks to. */
    private static Long mediaPortOf(BrowserParticipant b) {
        Object port = b.jsAsync("""
                (async () => {
                  const st = await window.huisclos.pc.getStats();
                  let pairId = null;
                  st.forEach(s => { if (s.type === 'transport' && s.selectedCandidatePairId) pairId = s.selectedCandidatePairId; });
                  if (!pairId) st.forEach(s => { if (s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded') pairId = s.id; });
                  if (!pairId) return null;
                  const rc = st.get(st.get(pairId).remoteCandidateId);
                  return rc ? rc.port : null;
                })()""");
        return port == null ? null : ((Number) port).longValue();
    }

    @Test
    @Order(1)
    void adaAndGraceMeetThroughTwoSignalingInstancesOnOneMediaNode() {
        long t0 = System.nanoTime();
        ada = join(signaling1, "Ada", BrowserParticipant.Kind.CHROMIUM);
        grace = join(signaling2, "Grace", BrowserParticipant.Kind.FIREFOX);
        for (BrowserParticipant b : List.of(ada, grace)) {
            b.waitUntil(b.name() + " joined", Duration.ofSeconds(60), () -> participantId(b) != null);
        }
        adaId = participantId(ada);
        graceId = participantId(grace);
        System.out.printf("joined %d ms after opening the pages%n", (System.nanoTime() - t0) / 1_000_000);

        long adaFirst = awaitMediaFrom(ada, grace);
        long graceFirst = awaitMediaFrom(grace, ada);
        System.out.printf("first decoded frame: Ada (via %s) %d ms, Grace (via %s) %d ms after opening the pages%n",
                signaling1.name(), (adaFirst - t0) / 1_000_000, signaling2.name(), (graceFirst - t0) / 1_000_000);

        // One room, one media node: both pages talk to the same media UDP port, one of the three nodes'.
        Long adaPort = mediaPortOf(ada);
        Long gracePort = mediaPortOf(grace);
        Set<Long> mediaPorts = mediaNodes.stream().map(m -> (long) m.udpPort()).collect(Collectors.toSet());
        assertNotNull(adaPort, "Ada has a selected candidate pair");
        assertEquals(adaPort, gracePort, "Ada and Grace are on the same media node");
        assertTrue(mediaPorts.contains(adaPort), "the media port " + adaPort + " is one of the nodes' " + mediaPorts);
        String node = mediaNodes.stream().filter(m -> m.udpPort() == adaPort).findFirst().orElseThrow().name();
        System.out.println("room is on " + node + " (UDP " + adaPort + ")");
        meetingUp = true;
    }

    @Test
    @Order(2)
    void mediaKeepsFlowingWhenGracesSignalingInstanceIsKilled() {
        assertTrue(meetingUp, "the meeting of the first test did not come up");
        grace.js("window.huisclos.pc.__beforeKill = true");
        // Same peer connections throughout: the senders' SSRCs read once keep one look per sample.
        java.util.Set<Long> graceSsrcs = RtcStats.sendingSsrcs(grace);
        java.util.Set<Long> adaSsrcs = RtcStats.sendingSsrcs(ada);
        long[] adaBefore = mediaFrom(ada, graceSsrcs);
        long[] graceBefore = mediaFrom(grace, adaSsrcs);
        signaling2.killHard();
        long killed = System.nanoTime();
        System.out.println(signaling2.name() + " killed with SIGKILL (exit " + signaling2.process().exitValue() + ")");

        // Watch both directions for AFTER_KILL: record every sample, then judge the gaps.
        List<long[]> adaSamples = new ArrayList<>(); // {ms since kill, frames, audio packets}
        List<long[]> graceSamples = new ArrayList<>();
        while (System.nanoTime() - killed < AFTER_KILL.toNanos()) {
            long[] a = mediaFrom(ada, graceSsrcs);
            adaSamples.add(new long[] {(System.nanoTime() - killed) / 1_000_000, a[0], a[1]});
            long[] g = mediaFrom(grace, adaSsrcs);
            graceSamples.add(new long[] {(System.nanoTime() - killed) / 1_000_000, g[0], g[1]});
            ClusterProcesses.sleep(Duration.ofMillis(250));
        }
        System.out.println("Ada receiving Grace after the kill [ms, frames, audio packets]: " + format(adaSamples));
        System.out.println("Grace receiving Ada after the kill [ms, frames, audio packets]: " + format(graceSamples));
        assertFlowing("Ada decoding Grace", adaBefore, adaSamples);
        assertFlowing("Grace decoding Ada", graceBefore, graceSamples);
        assertTrue(signaling1.process().isAlive(), "signaling-1 still runs");
        for (ClusterProcesses.Member m : mediaNodes) {
            assertTrue(m.process().isAlive(), m.name() + " still runs");
        }

        // Grace's page went on to signaling 1 and resumed there: same participant, same peer connection.
        String signaling1Port = ":" + signaling1.httpPort() + "/";
        grace.waitUntil("Grace resumes on " + signaling1.name(), Duration.ofSeconds(30), () -> Boolean.TRUE.equals(grace.js(
                "return window.huisclos.state === 'joined' && window.huisclos.ws && window.huisclos.ws.readyState === 1"
                        + " && window.huisclos.ws.url.includes(arguments[0])", signaling1Port)));
        System.out.printf("Grace resumed on %s %d ms after the kill%n", signaling1.name(),
                (System.nanoTime() - killed) / 1_000_000);
        assertEquals(graceId, participantId(grace), "the same participant");
        assertEquals(Boolean.TRUE, grace.js("return window.huisclos.pc.__beforeKill === true"), "the same peer connection");
        assertEquals(0L, ((Number) grace.js("return window.huisclos.errors.length")).longValue(),
                "no error on Grace's page: " + grace.js("return JSON.stringify(window.huisclos.errors)"));
        signalingKilled = true;
    }

    @Test
    @Order(3)
    void bothDecodeAgainSoonAfterTheRoomsMediaNodeIsKilled() {
        assertTrue(signalingKilled, "the second test did not finish");
        Long port = mediaPortOf(ada);
        ClusterProcesses.Member roomNode = mediaNodes.stream().filter(m -> port != null && m.udpPort() == port)
                .findFirst().orElseThrow(() -> new AssertionError("no media node on port " + port));
        for (BrowserParticipant b : List.of(ada, grace)) {
            b.js("window.huisclos.pc.__old = true");
        }
        roomNode.killHard();
        long killed = System.nanoTime();
        System.out.println(roomNode.name() + " (the room's media node) killed with SIGKILL");
        Map<BrowserParticipant, Long> back = new HashMap<>();
        while (back.size() < 2 && System.nanoTime() - killed < MEDIA_DEADLINE.toNanos()) {
            for (BrowserParticipant b : List.of(ada, grace)) {
                if (back.containsKey(b)) {
                    continue;
                }
                BrowserParticipant other = b == ada ? grace : ada;
                boolean newPc = Boolean.FALSE.equals(b.js("return window.huisclos.pc ? window.huisclos.pc.__old === true : true"));
                if (newPc && mediaFrom(b, other)[0] > 0) {
                    back.put(b, (System.nanoTime() - killed) / 1_000_000);
                }
            }
            ClusterProcesses.sleep(Duration.ofMillis(100));
        }
        System.out.println("after killing " + roomNode.name() + ", video decoded again on a new peer connection: Ada "
                + back.get(ada) + " ms, Grace " + back.get(grace) + " ms");
        for (BrowserParticipant b : List.of(ada, grace)) {
            // Within MEDIA_DEADLINE; how soon is a figure to report, not a timed assertion (a loaded machine is slow).
            assertNotNull(back.get(b), b.name() + " decodes video again after the media node died");
        }
        Long newPort = mediaPortOf(ada);
        assertEquals(newPort, mediaPortOf(grace), "the room is on one media node again");
        assertTrue(newPort != null && !newPort.equals(port), "the room moved off the dead node");
        awaitMediaFrom(ada, grace);
        awaitMediaFrom(grace, ada);
    }

    /**
     * Fails when framesDecoded stays flat for longer than MAX_GAP, proven by a sample that shows no
     * rise. A long interval between two samples that both rose is the test's own slowness (a loaded
     * machine), not a stall: it is reported, not failed.
     */
    private static void assertFlowing(String what, long[] before, List<long[]> samples) {
        long lastRiseMs = 0;
        long prevMs = 0;
        long frames = before[0];
        long longestFlat = 0;
        long longestInterval = 0;
        for (long[] s : samples) {
            longestInterval = Math.max(longestInterval, s[0] - prevMs);
            prevMs = s[0];
            if (s[1] > frames) {
                lastRiseMs = s[0];
                frames = s[1];
            } else {
                longestFlat = Math.max(longestFlat, s[0] - lastRiseMs);
            }
        }
        long[] last = samples.get(samples.size() - 1);
        System.out.printf("%s: frames %d -> %d, audio packets %d -> %d over %d ms; longest proven stall %d ms,"
                + " longest interval between samples %d ms%n",
                what, before[0], last[1], before[1], last[2], last[0], longestFlat, longestInterval);
        assertTrue(samples.size() >= 3, what + ": too few samples in " + AFTER_KILL + " to judge");
        assertTrue(last[1] > before[0], what + ": no frame decoded after the kill");
        assertTrue(last[2] > before[1], what + ": no audio packet after the kill");
        assertTrue(longestFlat <= MAX_GAP.toMillis(), what + ": framesDecoded stayed flat for " + longestFlat + " ms");
    }

    private static String format(List<long[]> samples) {
        return samples.stream().map(s -> "[" + s[0] + ", " + s[1] + ", " + s[2] + "]").collect(Collectors.joining(" "));
    }
}
