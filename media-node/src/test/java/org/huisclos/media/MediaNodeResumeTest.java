package org.huisclos.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.huisclos.contract.Addresses;
import org.huisclos.contract.MediaRequest;
import org.huisclos.media.peer.Await;
import org.huisclos.media.peer.TestPeer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The {@code resume} request: the outstanding offer again, nothing when none is, 404 for a stranger. */
class MediaNodeResumeTest {
    private static final String NODE = "resume-node";
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private Vertx vertx;
    private String deployment;

    @BeforeEach
    void deploy() throws Exception {
        vertx = Vertx.vertx();
        deployment = vertx.deployVerticle(new MediaNode(new MediaNodeConfig(NODE, "127.0.0.1", 0, "127.0.0.1", 50,
                1_000_000))).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void close() throws Exception {
        vertx.undeploy(deployment).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private JsonObject request(String action, String participant) throws Exception {
        JsonObject body = new JsonObject().put(MediaRequest.ACTION, action).put(MediaRequest.PARTICIPANT, participant)
                .put(MediaRequest.ROOM, "0123456789abcdef0123456789abcdef");
        return vertx.eventBus().<JsonObject>request(Addresses.mediaNode(NODE), body).toCompletionStage()
                .toCompletableFuture().get(10, TimeUnit.SECONDS).body();
    }

    @Test
    void theOutstandingOfferComesBackInTheReplyWithItsVersion() throws Exception {
        List<JsonObject> offers = new CopyOnWriteArrayList<>();
        vertx.eventBus().<JsonObject>consumer(Addresses.participant("pX"), m -> offers.add(m.body()))
                .completion().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        request(MediaRequest.ALLOCATE, "pX");
        Await.until(TIMEOUT, () -> offers.size() == 1, "the first offer");
        JsonObject reply = request(MediaRequest.RESUME, "pX");
        assertEquals(true, reply.getBoolean("ok"));
        assertEquals(offers.get(0), reply.getJsonObject("offer"), "the unanswered offer, as it was sent");
        assertEquals(1, offers.size(), "not sent to the participant's address again");
    }

    @Test
    void nothingIsSentWhenTheOfferWasAnswered() throws Exception {
        try (TestPeer peer = new TestPeer(vertx, NODE, "room", "pY")) {
            peer.join(); // answers the first offer
            JsonObject reply = request(MediaRequest.RESUME, "pY");
            assertEquals(true, reply.getBoolean("ok"));
            assertEquals(null, reply.getJsonObject("offer"), "no offer is outstanding");
            assertEquals(1, peer.offers().size(), "offers: " + peer.offers());
        }
    }

    @Test
    void anUnknownParticipantIs404() {
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> request(MediaRequest.RESUME, "pNobody"));
        ReplyException reply = assertInstanceOf(ReplyException.class, e.getCause());
        assertEquals(MediaRequest.Failure.UNKNOWN_PARTICIPANT, reply.failureCode());
    }
}
