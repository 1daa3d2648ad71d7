package org.huisclos.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.huisclos.contract.Addresses;
import org.huisclos.contract.MediaCodec;
import org.huisclos.contract.MediaCommand;
import org.huisclos.contract.MediaRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, item 5: a room holds at most its capacity of participants on a node (here 3), whoever
 * asks; the next allocate is refused with ROOM_FULL (429), distinct from a full node (503), so that
 * signaling does not spread the room over other nodes. Other rooms and the room's released places
 * are unaffected. Before the cap, the 4th participant (and the 200th) was allocated.
 */
class RoomCapacityTest {
    private static final String NODE = "room-capacity-node";
    private Vertx vertx;
    private String deployment;

    @BeforeEach
    void deploy() throws Exception {
        vertx = Vertx.vertx();
        deployment = vertx.deployVerticle(new MediaNode(new MediaNodeConfig(NODE, "127.0.0.1", 0, 0, "127.0.0.1", 50,
                1_000_000, false, null, null, 3))).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void close() throws Exception {
        vertx.undeploy(deployment).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private void send(MediaCommand command) throws Exception {
        vertx.eventBus().request(Addresses.mediaNode(NODE), MediaCodec.encode(command)).toCompletionStage()
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private void assertRoomFull(MediaCommand command) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> send(command));
        ReplyException reply = assertInstanceOf(ReplyException.class, e.getCause());
        assertEquals(MediaRequest.Failure.ROOM_FULL, reply.failureCode(), reply.getMessage());
        assertEquals("this meeting is full: 3 participants", reply.getMessage());
    }

    @Test
    void aRoomTakesItsCapacityAndNoMore() throws Exception {
        String room = "0123456789abcdef0123456789abcdef";
        for (int i = 1; i <= 3; i++) {
            send(new MediaCommand.Allocate(room, "p" + i));
        }
        assertRoomFull(new MediaCommand.Allocate(room, "p4"));
        assertRoomFull(new MediaCommand.Allocate(room, "p5"));
        send(new MediaCommand.Allocate("fedcba9876543210fedcba9876543210", "q1")); // another room
        send(new MediaCommand.Release("p2"));
        send(new MediaCommand.Allocate(room, "p4")); // a place was freed
        assertRoomFull(new MediaCommand.Allocate(room, "p6"));
    }
}
