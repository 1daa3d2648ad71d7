package org.huisclos.signaling;

import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import org.huisclos.contract.Addresses;
import org.huisclos.contract.BadMessage;
import org.huisclos.contract.MediaCodec;
import org.huisclos.contract.MediaCommand;
import org.huisclos.contract.MediaRequest;
import org.huisclos.contract.NodeMessage;

/**
 * Requests to media nodes over the event bus (see {@link MediaRequest}). Failures come back as
 * {@link ProtocolError}s with the client error code they stand for.
 */
final class MediaNodeClient {
    private final EventBus eventBus;
    private final DeliveryOptions options = new DeliveryOptions().setSendTimeout(MediaRequest.TIMEOUT_MS);

    MediaNodeClient(EventBus eventBus) {
        this.eventBus = eventBus;
    }

    /**
     * Creates the participant's endpoint on the node. Fails with {@link NodeFull} when the node has
     * no room left (placement then tries another node), with {@code room-full} when the meeting has
     * its most participants there (not tried elsewhere), else with {@code media-unavailable}.
     */
    Future<Void> allocate(String nodeId, String roomKey, String participantId) {
        return send(nodeId, new MediaCommand.Allocate(roomKey, participantId)).recover(failure -> {
            int code = failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE
                    ? reply.failureCode() : 0;
            if (code == MediaRequest.Failure.FULL) {
                return Future.failedFuture(new NodeFull());
            }
            if (code == MediaRequest.Failure.ROOM_FULL) {
                return Future.failedFuture(new ProtocolError(ClientMessages.ROOM_FULL,
                        "this meeting has as many participants as the server allows; try again later", "participants"));
            }
            return Future.failedFuture(new ProtocolError(ClientMessages.MEDIA_UNAVAILABLE,
                    "no media server could take you in this room now; please try again in a moment"));
        });
    }

    /** The media node refused an allocation because it is full. */
    static final class NodeFull extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NodeFull() {
            super("the media node is full", null, false, false);
        }
    }

    /**
     * Tells {@code nodeId} that the room also has participants on {@code peer}: it opens the relay
     * link between them unless there is one (docs/cluster-protocol.md, "Relay links").
     */
    Future<Void> relayConnect(String nodeId, String roomKey, String peer) {
        return send(nodeId, new MediaCommand.Connect(roomKey, peer));
    }

    Future<Void> answer(String nodeId, String participantId, long version, String sdp) {
        return send(nodeId, new MediaCommand.Answer(participantId, version, sdp)).recover(failure -> Future.failedFuture(answerError(failure)));
    }

    Future<Void> view(String nodeId, String participantId, java.util.Map<String, Integer> heights) {
        return send(nodeId, new MediaCommand.View(participantId, heights));
    }

    Future<Void> release(String nodeId, String participantId) {
        return send(nodeId, new MediaCommand.Release(participantId));
    }

    /**
     * Asks the node for the participant's outstanding offer: the offer, or null when every offer
     * was answered; fails with 404 if the node does not know the participant, with a
     * {@link BadMessage} if its reply cannot be read.
     */
    Future<NodeMessage.Offer> resume(String nodeId, String participantId) {
        return eventBus.request(Addresses.mediaNode(nodeId), MediaCodec.encode(new MediaCommand.Resume(participantId)),
                        options)
                .compose(reply -> {
                    try {
                        return Future.succeededFuture(MediaCodec.decodeResumeReply(reply.body()));
                    } catch (BadMessage bad) {
                        return Future.failedFuture(bad);
                    }
                });
    }

    /** Whether a failed request was the node saying it does not know the participant. */
    static boolean unknownParticipant(Throwable failure) {
        return failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE
                && reply.failureCode() == MediaRequest.Failure.UNKNOWN_PARTICIPANT;
    }

    private Future<Void> send(String nodeId, MediaCommand request) {
        return eventBus.request(Addresses.mediaNode(nodeId), MediaCodec.encode(request), options).mapEmpty();
    }

    private static ProtocolError answerError(Throwable failure) {
        if (failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
            if (reply.failureCode() == MediaRequest.Failure.STALE_ANSWER) {
                return new ProtocolError(ClientMessages.STALE_ANSWER, "the media server expects another offer's answer");
            }
            String why = reply.getMessage() == null ? "no reason given" : reply.getMessage();
            return new ProtocolError(ClientMessages.BAD_ANSWER, "the media server could not use the answer: " + why);
        }
        return new ProtocolError(ClientMessages.MEDIA_UNAVAILABLE,
                "the media server did not respond; please try again in a moment");
    }
}
