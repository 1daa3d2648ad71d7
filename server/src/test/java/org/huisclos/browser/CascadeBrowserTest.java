package org.huisclos.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.huisclos.launcher.Huisclos;
import org.huisclos.launcher.TestCluster;
import org.huisclos.media.relay.RelayLink;
import org.huisclos.registry.RoomKeys;
import org.huisclos.registry.RoomRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One meeting larger than a media node (issue 4): three media nodes of capacity 2, five Chromium
 * participants in one room. The room fills its first node, then spans a second and a third; the
 * nodes join by relay links, and every participant proves from getStats() that it decodes the
 * video and receives the audio of each of the four others.
 */
class CascadeBrowserTest {
    private static final Duration MEDIA_DEADLINE = Duration.ofSeconds(90);
    private static final String ROOM = "cascade-meeting";
    private static final List<String> NODES = List.of("node-1", "node-2", "node-3");
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

    private BrowserParticipant join(Huisclos signaling, String name) {
        BrowserParticipant b = new ChromiumParticipant(name);
        browsers.add(b);
        long opened = System.nanoTime();
        b.open("http://127.0.0.1:" + signaling.httpPort() + "/" + ROOM + "?name=" + name + "&autojoin=1");
        try {
            b.waitUntil(name + " joined", Duration.ofSeconds(30), () -> participantId(b) != null);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; page state " + b.js("return JSON.stringify({state: window.huisclos.state,"
                    + " errors: window.huisclos.errors, ws: window.huisclos.ws && window.huisclos.ws.readyState})"), e);
        }
        System.out.println("CASCADE: " + name + " joined " + (System.nanoTime() - opened) / 1_000_000 + " ms after its page opened");
        return b;
    }

    private static String participantId(BrowserParticipant b) {
        return (String) b.js("return window.huisclos.participantId");
    }

    /** Which participants each node holds (by the endpoints its conference has), for failure messages. */
    private static Map<String, Integer> holdings(Map<String, Huisclos> media) throws Exception {
        Map<String, Integer> out = new TreeMap<>();
        for (Map.Entry<String, Huisclos> node : media.entrySet()) {
            out.put(node.getKey(), node.getValue().mediaNode().load().toCompletionStage().toCompletableFuture().get()[0]);
        }
        return out;
    }

    @Test
    void fiveParticipantsOnThreeNodesOfCapacityTwoDecodeEachOther() throws Exception {
        cluster = new TestCluster("cascade-browser", 4);
        Huisclos signaling = cluster.start(0, "signaling", null);
        Map<String, Huisclos> media = new TreeMap<>();
        for (int i = 0; i < NODES.size(); i++) {
            media.put(NODES.get(i), cluster.start(i + 1, "media", NODES.get(i), Map.of("HUISCLOS_MEDIA_CAPACITY", "2")));
        }
        TestCluster.awaitNodes(signaling, NODES.toArray(String[]::new));

        long t0 = System.nanoTime();
        Map<BrowserParticipant, String> ids = new HashMap<>();
        for (String name : List.of("Ada", "Grace", "Alan", "Barbara", "Edsger")) {
            BrowserParticipant b = join(signaling, name);
            ids.put(b, participantId(b));
        }
        System.out.println("CASCADE: participants " + ids.values() + "; node-1..3 hold " + holdings(media));
        long joined = System.nanoTime();
        for (BrowserParticipant b : browsers) {
            List<BrowserParticipant> others = new ArrayList<>(browsers);
            others.remove(b);
            RtcStats.awaitMediaFrom(b, others, MEDIA_DEADLINE);
            System.out.println("CASCADE: " + b.name() + " decodes all four others " + (System.nanoTime() - joined) / 1_000_000
                    + " ms after the last join");
        }
        System.out.println("CASCADE: 5 participants on 3 nodes decode each other's video and audio "
                + (System.nanoTime() - t0) / 1_000_000 + " ms after the first join began");

        // The room spans the three nodes, each holding at most its capacity.
        String roomKey = new RoomKeys(signaling.hazelcast().<String, byte[]>getMap("huisclos-secrets").get("room-key"))
                .keyOf(ROOM);
        RoomRecord room = signaling.registry().room(roomKey).orElseThrow();
        assertEquals(Set.copyOf(NODES), Set.copyOf(room.nodes()), "the room spans all three nodes: " + room);
        int participants = 0;
        for (Map.Entry<String, Huisclos> node : media.entrySet()) {
            int here = node.getValue().mediaNode().load().toCompletionStage().toCompletableFuture().get()[0];
            assertTrue(here >= 1 && here <= 2, node.getKey() + " holds " + here + " participants");
            participants += here;
        }
        assertEquals(5, participants);

        // A full mesh of relay links for the room: two per node, each up (SRTP keys) and carrying media both ways.
        for (Map.Entry<String, Huisclos> node : media.entrySet()) {
            List<RelayLink> links = node.getValue().mediaNode().relayLinks().toCompletionStage().toCompletableFuture().get();
            List<String> peers = new ArrayList<>();
            for (RelayLink link : links) {
                peers.add(link.peerNode);
                assertTrue(link.stats().rtpPacketsIn() > 0 && link.stats().rtpPacketsOut() > 0,
                        node.getKey() + "'s link to " + link.peerNode + " carries media both ways: in "
                                + link.stats().rtpPacketsIn() + ", out " + link.stats().rtpPacketsOut());
            }
            List<String> expected = new ArrayList<>(NODES);
            expected.remove(node.getKey());
            assertEquals(Set.copyOf(expected), Set.copyOf(peers), node.getKey() + "'s relay links");
            assertEquals(2, links.size(), node.getKey() + " has one link per other node");
        }
        System.out.println("CASCADE: room spans " + room.nodes() + "; relay links per node: 2");
    }
}
