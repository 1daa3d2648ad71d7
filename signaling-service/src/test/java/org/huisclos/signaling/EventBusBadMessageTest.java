package org.huisclos.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.huisclos.contract.Addresses;
import org.huisclos.contract.MediaRequest;
import org.huisclos.registry.RoomKeys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What another cluster member sends a signaling instance and it cannot read — an unknown type, a
 * missing or ill-typed field, a newer protocol version — gets a 400 naming the problem, from the
 * codec, at once: before, a request of an unknown type went unanswered (the sender waited for its
 * timeout) and an ill-typed one was dropped.
 */
class EventBusBadMessageTest {
    private static Vertx vertx;
    private static SignalingServer server;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        new FakeMediaNode(vertx).await();
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
    void aParticipantsAddressAndTheHandOffAddressAnswerWhatTheyCannotReadWithA400() throws Exception {
        try (TestClient ada = new TestClient(vertx, port)) {
            ada.send(new JsonObject().put("type", "join").put("v", 1).put("room", "bad-bus").put("name", "Ada")
                    .put("audio", true).put("video", true));
            String id = ada.expect("joined").getString("participant");
            String to = Addresses.participant(id);
            assertRefused(to, new JsonObject().put("type", "explode"), "unknown participant message explode");
            assertRefused(to, new JsonObject().put("type", "knock").put("participant", "p2"),
                    "knock needs name (a string)");
            assertRefused(to, new JsonObject().put("type", "takeover").put("generation", "first"),
                    "takeover needs generation (a number)");
            assertRefused(to, new JsonObject().put("type", "mute-request").put("by", "p2").put("protocol", 9),
                    "protocol version 9 is not supported (this node speaks up to 1)");
            assertRefused(to, "not an object", "a participant message is a JSON object");
            assertRefused(Addresses.signalingHandoff(), new JsonObject().put("participant", id).put("token", 5),
                    "malformed hand-off: a hand-off needs token (a string)");
            // Ada is still in the room and answers what she can read.
            assertEquals(true, vertx.eventBus().request(to, new JsonObject().put("type", "moderator-ping"))
                    .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS).body() instanceof JsonObject);
        }
    }

    private static void assertRefused(String address, Object body, String why) throws Exception {
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, () ->
                vertx.eventBus().request(address, body, new DeliveryOptions().setSendTimeout(MediaRequest.TIMEOUT_MS))
                        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
        ReplyException reply = assertInstanceOf(ReplyException.class, e.getCause(), String.valueOf(body));
        assertEquals(ReplyFailure.RECIPIENT_FAILURE, reply.failureType(), body + ": " + reply.getMessage());
        assertEquals(MediaRequest.Failure.BAD_REQUEST, reply.failureCode(), String.valueOf(body));
        assertEquals(why, reply.getMessage());
    }
}
