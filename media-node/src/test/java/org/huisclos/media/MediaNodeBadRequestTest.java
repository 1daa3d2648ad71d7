package org.huisclos.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.huisclos.contract.Addresses;
import org.huisclos.contract.MediaRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A malformed request to a media node gets a 400 reply at once, never silence: the caller would
 * otherwise wait for its timeout. Missing or ill-typed fields, a body that is no JSON object, an
 * answer whose m= line has no numeric port or whose version is no number. (A relay-streams list of
 * the wrong shape: RelayLinkIntegrationTest, which has a link to send it on.)
 */
class MediaNodeBadRequestTest {
    private static final String NODE = "bad-request-node";
    private static final String ROOM = "0123456789abcdef0123456789abcdef";
    /** Far below the event bus's 30 s default: a missing reply shows as a TIMEOUT, not as a 400. */
    private static final DeliveryOptions QUICK = new DeliveryOptions().setSendTimeout(3_000);
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

    private JsonObject request(Object body) throws Exception {
        return vertx.eventBus().<JsonObject>request(Addresses.mediaNode(NODE), body, QUICK).toCompletionStage()
                .toCompletableFuture().get(10, TimeUnit.SECONDS).body();
    }

    private void assertBadRequest(Object body) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> request(body), "refused: " + body);
        ReplyException reply = assertInstanceOf(ReplyException.class, e.getCause());
        assertEquals(ReplyFailure.RECIPIENT_FAILURE, reply.failureType(), "a reply, not silence: " + body);
        assertEquals(MediaRequest.Failure.BAD_REQUEST, reply.failureCode(), body + ": " + reply.getMessage());
    }

    @Test
    void illTypedFieldsGetA400() {
        // (A number where a string is expected reads as its text: "5" is an unknown action.)
        assertBadRequest(new JsonObject().put(MediaRequest.ACTION, 5).put(MediaRequest.PARTICIPANT, "p1"));
        assertBadRequest(new JsonObject().put(MediaRequest.ACTION, MediaRequest.ALLOCATE).put(MediaRequest.PARTICIPANT, "p1"));
        assertBadRequest(new JsonObject().put(MediaRequest.ACTION, MediaRequest.RELAY_CONNECT).put(MediaRequest.ROOM, ROOM));
        assertBadRequest(new JsonObject().put(MediaRequest.ACTION, MediaRequest.RELAY_CONNECT).put(MediaRequest.ROOM, ROOM)
                .put(MediaRequest.NODE, NODE));
    }

    @Test
    void aBodyThatIsNoJsonObjectGetsA400() {
        assertBadRequest("allocate me");
    }

    @Test
    void anAnswerWithAMalformedPortGetsA400AndTheParticipantStays() throws Exception {
        request(new JsonObject().put(MediaRequest.ACTION, MediaRequest.ALLOCATE).put(MediaRequest.PARTICIPANT, "p1")
                .put(MediaRequest.ROOM, ROOM));
        String sdp = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
                + "m=audio nine UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\n";
        assertBadRequest(new JsonObject().put(MediaRequest.ACTION, MediaRequest.ANSWER).put(MediaRequest.PARTICIPANT, "p1")
                .put(MediaRequest.VERSION, 1).put(MediaRequest.SDP, sdp));
        assertBadRequest(new JsonObject().put(MediaRequest.ACTION, MediaRequest.ANSWER).put(MediaRequest.PARTICIPANT, "p1")
                .put(MediaRequest.VERSION, "one").put(MediaRequest.SDP, sdp));
        JsonObject resumed = request(new JsonObject().put(MediaRequest.ACTION, MediaRequest.RESUME)
                .put(MediaRequest.PARTICIPANT, "p1"));
        assertEquals(true, resumed.getBoolean("ok"), "the participant is still there, its offer outstanding");
        assertEquals(1, resumed.getJsonObject("offer").getInteger("version"));
    }
}
