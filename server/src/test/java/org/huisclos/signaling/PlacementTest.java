package org.huisclos.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.huisclos.launcher.Huisclos;
import org.huisclos.launcher.TestCluster;
import org.huisclos.registry.RoomKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Placement of one room across media nodes (docs/cluster-protocol.md, "Placement"), in a small
 * cluster in one JVM with clients on the WebSocket protocol: a full node sends newcomers to another
 * node and the two link up; a client's region picks its node; the room leaves a node when its
 * last participant there goes.
 */
class PlacementTest {
    private final Vertx clientVertx = Vertx.vertx();
    private TestCluster cluster;

    @AfterEach
    void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
        clientVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static String roomKey(Huisclos h, String room) {
        return new RoomKeys(h.hazelcast().<String, byte[]>getMap("huisclos-secrets").get("room-key")).keyOf(room);
    }

    private static int participantsOn(Huisclos media) {
        try {
            return media.mediaNode().load().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS)[0];
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static int linksOf(Huisclos media) {
        try {
            return media.mediaNode().relayLinks().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS).size();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private JsonObject joinMessage(String room, String name) {
        return new JsonObject().put("type", "join").put("v", 1).put("room", room).put("name", name)
                .put("audio", true).put("video", true);
    }

    @Test
    void aFullNodeSendsNewcomersToAnotherNodeAndTheNodesLinkUp() throws Exception {
        cluster = new TestCluster("placement-full", 3);
        Huisclos signaling = cluster.start(0, "signaling", null);
        Huisclos a = cluster.start(1, "media", "node-a", Map.of("HUISCLOS_MEDIA_CAPACITY", "1"));
        Huisclos b = cluster.start(2, "media", "node-b", Map.of("HUISCLOS_MEDIA_CAPACITY", "1"));
        TestCluster.awaitNodes(signaling, "node-a", "node-b");

        // Both join at once: the registry's loads are a heartbeat old, so one allocation is refused
        // as full by the node itself and placed again on the other node.
        TestClient ada = new TestClient(clientVertx, signaling.httpPort());
        TestClient grace = new TestClient(clientVertx, signaling.httpPort());
        ada.send(joinMessage("full-room", "Ada"));
        grace.send(joinMessage("full-room", "Grace"));
        for (TestClient c : List.of(ada, grace)) {
            c.expect("joined");
            assertEquals(1L, c.expect("offer").getLong("version"));
        }
        assertEquals(1, participantsOn(a));
        assertEquals(1, participantsOn(b));
        String key = roomKey(signaling, "full-room");
        assertEquals(Set.of("node-a", "node-b"), Set.copyOf(signaling.registry().room(key).orElseThrow().nodes()));
        TestCluster.await("one relay link between the nodes", Duration.ofSeconds(10),
                () -> linksOf(a) == 1 && linksOf(b) == 1);

        // No node has room for a third: a clear error, nothing allocated.
        TestClient alan = new TestClient(clientVertx, signaling.httpPort());
        alan.send(joinMessage("full-room", "Alan"));
        assertEquals("media-unavailable", alan.expect("error").getString("code"));

        // Grace leaves: the room no longer spans her node, and the link closes on both nodes.
        grace.send(new JsonObject().put("type", "leave"));
        TestCluster.await("the room left Grace's node", Duration.ofSeconds(10),
                () -> signaling.registry().room(key).orElseThrow().nodes().size() == 1);
        TestCluster.await("the relay link closed", Duration.ofSeconds(10), () -> linksOf(a) == 0 && linksOf(b) == 0);
        for (TestClient c : List.of(ada, grace, alan)) {
            c.close();
        }
    }

    @Test
    void participantsGoToANodeOfTheirRegionAndTheRoomSpansTheRegions() throws Exception {
        cluster = new TestCluster("placement-region", 3);
        Huisclos signaling = cluster.start(0, "signaling", null, Map.of("HUISCLOS_REGION", "eu"));
        Huisclos eu = cluster.start(1, "media", "node-eu", Map.of("HUISCLOS_REGION", "eu"));
        Huisclos us = cluster.start(2, "media", "node-us", Map.of("HUISCLOS_REGION", "us"));
        TestCluster.awaitNodes(signaling, "node-eu", "node-us");

        TestClient bob = new TestClient(clientVertx, signaling.httpPort());
        bob.send(joinMessage("region-room", "Bob").put("region", "us"));
        bob.expect("joined");
        bob.expect("offer");
        assertEquals(1, participantsOn(us), "Bob states region us");

        TestClient ada = new TestClient(clientVertx, signaling.httpPort());
        ada.join("region-room", "Ada");
        ada.expect("offer");
        assertEquals(1, participantsOn(eu), "Ada states none: the signaling instance's region, eu");
        TestCluster.await("the eu and us nodes link up", Duration.ofSeconds(10), () -> linksOf(eu) == 1 && linksOf(us) == 1);

        TestClient eve = new TestClient(clientVertx, signaling.httpPort());
        eve.send(joinMessage("region-room", "Eve").put("region", "../../etc"));
        JsonObject error = eve.expect("error");
        assertEquals("bad-message", error.getString("code"));
        assertEquals("field 'region' must be up to 32 letters, digits, '-', '_' or '.'", error.getString("message"));
        eve.assertAlive();
        for (TestClient c : List.of(bob, ada, eve)) {
            c.close();
        }
    }

    @Test
    void aNodeOutsideTheClusterCannotOpenALink() throws Exception {
        cluster = new TestCluster("placement-inside", 2);
        Huisclos signaling = cluster.start(0, "signaling", null);
        Huisclos inside = cluster.start(1, "media", "node-in");
        TestCluster.awaitNodes(signaling, "node-in");
        TestClient ada = new TestClient(clientVertx, signaling.httpPort());
        ada.join("private-room", "Ada");
        ada.expect("offer");
        String key = roomKey(signaling, "private-room");

        // A media node of another cluster (say, it knows the room key) with a participant in that room.
        try (TestCluster outside = new TestCluster("placement-outside", 1)) {
            Huisclos stranger = outside.start(0, "media", "node-out");
            var bus = stranger.vertx().eventBus();
            bus.request(org.huisclos.contract.Addresses.mediaNode("node-out"), new JsonObject()
                    .put("action", "allocate").put("room", key).put("participant", "pmallory"))
                    .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
            var connect = bus.request(org.huisclos.contract.Addresses.mediaNode("node-out"), new JsonObject()
                    .put("action", "relay-connect").put("room", key).put("node", "node-in"))
                    .toCompletionStage().toCompletableFuture();
            java.util.concurrent.ExecutionException refused = org.junit.jupiter.api.Assertions.assertThrows(
                    java.util.concurrent.ExecutionException.class, () -> connect.get(10, TimeUnit.SECONDS));
            System.out.println("relay-connect towards a node of another cluster: " + refused.getCause().getMessage());
            assertEquals(0, linksOf(inside), "no link on the cluster's node");
            assertEquals(0, linksOf(stranger), "the stranger's half-open link is gone");
        }
        ada.close();
    }
}
