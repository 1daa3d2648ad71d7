package org.huisclos.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.huisclos.contract.Addresses;
import org.huisclos.contract.MediaRequest;
import org.huisclos.registry.RoomKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The move itself, against fake media nodes and a fake registry: what the watcher takes for a
 * dead, draining or restarted node, the order of messages to the client, the version rebasing,
 * late messages from the old node, and a move while the WebSocket is down.
 */
class MediaMoveTest {
    /** A media node that records requests and sends offer 1, 2, … after allocate, tagged with its id. */
    private static final class Node {
        final String id;
        final List<JsonObject> requests = new CopyOnWriteArrayList<>();
        final Map<String, Integer> versions = new ConcurrentHashMap<>();
        final Vertx vertx;

        Node(Vertx vertx, String id) throws Exception {
            this.vertx = vertx;
            this.id = id;
            vertx.eventBus().<JsonObject>consumer(Addresses.mediaNode(id), this::onRequest).completion()
                    .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        }

        private void onRequest(Message<JsonObject> m) {
            requests.add(m.body().copy());
            m.reply(new JsonObject().put("ok", true));
            if (MediaRequest.ALLOCATE.equals(m.body().getString(MediaRequest.ACTION))) {
                offer(m.body().getString(MediaRequest.PARTICIPANT));
            }
        }

        void offer(String participant) {
            int v = versions.merge(participant, 1, Integer::sum);
            vertx.eventBus().send(Addresses.participant(participant), new JsonObject().put("type", "offer")
                    .put("node", id).put("version", v).put("sdp", "v=0 " + id + " " + v).put("tracks", new JsonArray()));
        }

        List<String> actions(String participant) {
            return requests.stream().filter(r -> participant.equals(r.getString(MediaRequest.PARTICIPANT)))
                    .map(r -> r.getString(MediaRequest.ACTION)).toList();
        }
    }

    private final Vertx vertx = Vertx.vertx();
    private final Map<String, MediaNodeHealth.NodeStatus> statuses = new ConcurrentHashMap<>();
    private volatile String placement = "n1";
    private final java.util.concurrent.atomic.AtomicInteger looks = new java.util.concurrent.atomic.AtomicInteger();
    private Node n1;
    private Node n2;
    private SignalingServer server;
    private int port;

    @BeforeEach
    void start() throws Exception {
        n1 = new Node(vertx, "n1");
        n2 = new Node(vertx, "n2");
        statuses.put("n1", new MediaNodeHealth.NodeStatus(true, false, "m1"));
        statuses.put("n2", new MediaNodeHealth.NodeStatus(true, false, "m2"));
        server = new SignalingServer(vertx, 0, "127.0.0.1", RoomKeys.random(), key -> Future.succeededFuture(placement))
                .mediaNodeHealth(id -> {
                    looks.incrementAndGet();
                    return Optional.ofNullable(statuses.get(id));
                });
        port = server.start().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        server.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static final Duration MOVE = Duration.ofSeconds(5);

    private static void awaitCount(TestClient c, String type, long n) throws InterruptedException {
        long deadline = System.nanoTime() + MOVE.toNanos();
        while (c.received.stream().filter(m -> type.equals(m.getString("type"))).count() < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("fewer than " + n + " '" + type + "' in " + c.received);
            }
            Thread.sleep(10); // polling step, bounded by the deadline
        }
    }

    /** The types received, but for the room's access settings (moderator, room-settings), which come in their own time. */
    private static List<String> types(TestClient c) {
        return c.received.stream().map(m -> m.getString("type"))
                .filter(t -> !t.equals("moderator") && !t.equals("room-settings")).toList();
    }

    @Test
    void aStaleNodesParticipantMovesWithVersionsRebasedAndLateOffersDropped() throws Exception {
        TestClient ada = new TestClient(vertx, port);
        String id = ada.join("room", "Ada").getString("participant");
        assertEquals(1L, ada.expect("offer").getLong("version"));
        n1.offer(id); // a renegotiation: version 2, unanswered
        assertEquals(2L, ada.expect("offer").getLong("version"));

        placement = "n2";
        statuses.put("n1", new MediaNodeHealth.NodeStatus(false, false, "m1"));
        ada.expect("media-moved");
        JsonObject offer = ada.expect("offer");
        assertEquals(3L, offer.getLong("version"), "the new node's offer 1 is the client's 3");
        assertTrue(offer.getString("sdp").contains("n2"));
        assertFalse(offer.containsKey("node"));
        assertEquals(List.of("allocate"), n2.actions(id));

        n1.offer(id); // late, from the node it left
        ada.send(new JsonObject().put("type", "answer").put("version", 2).put("sdp", "old pc"));
        ada.expectError("stale-answer");
        ada.send(new JsonObject().put("type", "answer").put("version", 3).put("sdp", "new pc"));
        ada.assertAlive();
        TestClient.await("the answer reaches the new node as its version 1", () -> n2.requests.stream().anyMatch(r ->
                "answer".equals(r.getString("action")) && r.getInteger("version") == 1 && "new pc".equals(r.getString("sdp"))));
        assertEquals(1L, types(ada).stream().filter("media-moved"::equals).count());
        assertEquals(3L, types(ada).stream().filter("offer"::equals).count(), "the late offer of n1 was dropped: " + types(ada));
        assertEquals(List.of("allocate", "answer"), n2.actions(id));
        // n1 was only silent, not gone: it is told to free the endpoint (a dead node would not answer).
        TestClient.await("the node taken for dead is told to release", () -> n1.actions(id).contains("release"));
        assertEquals(List.of("allocate", "answer"), n2.actions(id), "nothing released at the new node");
    }

    @Test
    void aDrainingNodesParticipantMovesAndIsReleasedThere() throws Exception {
        TestClient ada = new TestClient(vertx, port);
        String id = ada.join("room", "Ada").getString("participant");
        ada.expect("offer");
        placement = "n2";
        statuses.put("n1", new MediaNodeHealth.NodeStatus(true, true, "m1"));
        ada.expect("media-moved");
        assertEquals(2L, ada.expect("offer").getLong("version"));
        TestClient.await("the draining node is told to release", () -> n1.actions(id).contains("release"));
    }

    @Test
    void aDrainingNodeKeepsItsParticipantsWhileNoOtherNodeCanTakeThem() throws Exception {
        TestClient ada = new TestClient(vertx, port);
        ada.join("room", "Ada");
        ada.expect("offer");
        statuses.put("n1", new MediaNodeHealth.NodeStatus(true, true, "m1")); // placement still says n1
        long until = System.nanoTime() + 3 * NodeWatcher.PERIOD_MS * 1_000_000L;
        while (System.nanoTime() < until) {
            assertFalse(types(ada).contains("media-moved"));
            Thread.sleep(20); // observation window of three watcher periods
        }
        placement = "n2";
        ada.expect("media-moved");
    }

    @Test
    void aNodeRestartedUnderTheSameIdGetsItsParticipantsAllocatedAgain() throws Exception {
        TestClient ada = new TestClient(vertx, port);
        String id = ada.join("room", "Ada").getString("participant");
        ada.expect("offer");
        // Let the watcher see the incarnation the participant was allocated on (two looks, so one completed).
        int seen = looks.get();
        TestClient.await("the watcher looked at n1", () -> looks.get() >= seen + 2);
        n1.versions.clear();
        statuses.put("n1", new MediaNodeHealth.NodeStatus(true, false, "m1-again"));
        ada.expect("media-moved");
        assertEquals(2L, ada.expect("offer").getLong("version"));
        TestClient.await("allocated again on the restarted node", () -> n1.actions(id).stream()
                .filter("allocate"::equals).count() == 2);
        // Stamped with the new incarnation: no further move.
        long until = System.nanoTime() + 3 * NodeWatcher.PERIOD_MS * 1_000_000L;
        while (System.nanoTime() < until) {
            assertEquals(1L, types(ada).stream().filter("media-moved"::equals).count());
            Thread.sleep(20); // observation window of three watcher periods
        }
        assertFalse(n1.actions(id).contains("release"), "the restarted node keeps the new allocation");
    }

    @Test
    void aParticipantMovedWhileItsSocketWasDownLearnsItOnResume() throws Exception {
        TestClient ada = new TestClient(vertx, port);
        JsonObject joined = ada.join("room", "Ada");
        ada.expect("offer");
        ada.close();
        placement = "n2";
        statuses.remove("n1");
        String id = joined.getString("participant");
        TestClient.await("moved to n2", () -> n2.actions(id).contains("allocate"));

        TestClient again = new TestClient(vertx, port);
        again.send(new JsonObject().put("type", "resume").put("participant", id).put("token", joined.getString("token")));
        again.expect("resumed");
        again.expect("media-moved");
        assertEquals(2L, again.expect("offer").getLong("version"));
        assertEquals(List.of("resumed", "media-moved", "offer"), types(again));
    }
}
