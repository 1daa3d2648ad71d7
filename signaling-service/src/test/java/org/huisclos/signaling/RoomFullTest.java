package org.huisclos.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import org.huisclos.contract.MediaRequest;
import org.huisclos.registry.RoomKeys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A media node that says the room is full (ROOM_FULL, issue 13 item 5) makes the join fail with
 * {@code room-full} at once, not {@code media-unavailable} after trying other nodes: the meeting
 * is full wherever it would go.
 */
class RoomFullTest {
    private static Vertx vertx;
    private static FakeMediaNode node;
    private static SignalingServer server;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        node = new FakeMediaNode(vertx);
        node.await();
        server = new SignalingServer(vertx, 0, "127.0.0.1", RoomKeys.random(),
                k -> Future.succeededFuture(FakeMediaNode.NODE_ID));
        port = server.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aFullRoomRefusesTheJoinAsRoomFull() throws Exception {
        node.allocateFailure = MediaRequest.Failure.ROOM_FULL;
        try (TestClient c = new TestClient(vertx, port)) {
            c.send(new JsonObject().put("type", "join").put("v", 1).put("room", "crowded").put("name", "Late")
                    .put("audio", true).put("video", true));
            JsonObject error = c.expect("error");
            assertEquals("room-full", error.getString("code"), error.encode());
            assertEquals("participants", error.getString("reason"), error.encode());
            assertEquals("join", error.getString("request"), error.encode());
        } finally {
            node.allocateFailure = 0;
        }
        assertEquals(1, node.requests.stream().filter(r -> MediaRequest.ALLOCATE.equals(r.getString(MediaRequest.ACTION)))
                .count(), "asked once, no other node tried");
    }
}
