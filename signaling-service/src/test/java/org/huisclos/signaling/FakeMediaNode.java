package org.huisclos.signaling;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.huisclos.contract.Addresses;
import org.huisclos.contract.MediaCodec;
import org.huisclos.contract.NodeMessage;
import org.huisclos.contract.MediaRequest;

/**
 * A media node that records requests, replies ok, and after {@code allocate} sends offer version 1
 * to the participant. An answer whose sdp is "reject" fails with BAD_REQUEST, "stale" with
 * STALE_ANSWER.
 */
final class FakeMediaNode {
    static final String NODE_ID = "test-node";

    private final Vertx vertx;
    private final MessageConsumer<JsonObject> consumer;
    final List<JsonObject> requests = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> versions = new ConcurrentHashMap<>();
    /** The sdp of offer n; tests with a real browser set a parseable one. */
    volatile java.util.function.IntFunction<String> sdp = version -> "v=0 fake " + version;
    /** When not 0, every allocate fails with this code (e.g. ROOM_FULL). */
    volatile int allocateFailure;

    FakeMediaNode(Vertx vertx) {
        this.vertx = vertx;
        this.consumer = vertx.eventBus().consumer(Addresses.mediaNode(NODE_ID), this::onRequest);
    }

    void await() throws Exception {
        consumer.completion().toCompletionStage().toCompletableFuture().get();
    }

    private void onRequest(Message<JsonObject> message) {
        JsonObject request = message.body();
        requests.add(request.copy());
        String participant = request.getString(MediaRequest.PARTICIPANT);
        switch (request.getString(MediaRequest.ACTION)) {
            case MediaRequest.ALLOCATE -> {
                int failure = allocateFailure;
                if (failure != 0) {
                    message.fail(failure, "refused by the test");
                    return;
                }
                message.reply(new JsonObject().put("ok", true));
                offer(participant);
            }
            case MediaRequest.ANSWER -> {
                String sdp = request.getString(MediaRequest.SDP);
                if ("reject".equals(sdp)) {
                    message.fail(MediaRequest.Failure.BAD_REQUEST, "no DTLS fingerprint");
                } else if ("stale".equals(sdp)) {
                    message.fail(MediaRequest.Failure.STALE_ANSWER, "stale");
                } else {
                    message.reply(new JsonObject().put("ok", true));
                }
            }
            default -> message.reply(new JsonObject().put("ok", true));
        }
    }

    /** Sends the participant its next offer (version 1, 2, …). */
    int offer(String participant) {
        int version = versions.merge(participant, 1, Integer::sum);
        vertx.eventBus().send(Addresses.participant(participant), MediaCodec.encode(new NodeMessage.Offer(NODE_ID,
                version, sdp.apply(version), List.of(new NodeMessage.Track("s0", "pother", "audio")))));
        return version;
    }

    List<JsonObject> requests(String action, String participant) {
        return requests.stream().filter(r -> action.equals(r.getString(MediaRequest.ACTION))
                && participant.equals(r.getString(MediaRequest.PARTICIPANT))).toList();
    }
}
