package org.huisclos.signaling;

import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.huisclos.contract.Addresses;
import org.huisclos.contract.BadMessage;
import org.huisclos.contract.Handoff;
import org.huisclos.contract.MediaCodec;
import org.huisclos.contract.ParticipantMessage;
import org.huisclos.contract.RoomEvent;
import org.huisclos.contract.SignalingCodec;
import org.huisclos.registry.RoomKeys;

/**
 * Resumes across signaling instances (docs/protocol.md, Reconnection; docs/cluster-protocol.md).
 * Resume tokens are MACs under the cluster's session secret ({@link ResumeTokens}), so any instance
 * can check one and rebuild the participant from the token and the fields the client sends again;
 * a token resumes once (its generation) and not after it expires. Taking a participant over: a {@code takeover} request to its address makes the
 * instance that held it stand down; then this instance registers the participant's consumers, asks
 * the media node to send the outstanding offer again, and re-announces it to the room. An
 * instance that stops hands each of its participants to another instance the same way. All
 * methods run on the signaling server's event loop.
 */
final class Resumption {
    private static final System.Logger LOG = System.getLogger(Resumption.class.getName());
    /** How long to wait for the previous instance to stand down (it may be dead). */
    static final long TAKEOVER_TIMEOUT_MS = 2_000;
    /** The failure code of a takeover refused because the token's generation is not current. */
    static final int STALE_GENERATION = 409;

    private final EventBus eventBus;
    final ResumeTokens tokens;
    private final RoomKeys roomKeys;
    private final MediaNodeClient media;
    private final ParticipantDirectory directory;
    private final DeliveryOptions takeoverOptions = new DeliveryOptions().setSendTimeout(TAKEOVER_TIMEOUT_MS);
    private MessageConsumer<Object> handoffConsumer;

    Resumption(EventBus eventBus, byte[] secret, RoomKeys roomKeys, MediaNodeClient media, ParticipantDirectory directory) {
        this.eventBus = eventBus;
        this.tokens = new ResumeTokens(secret, ResumeTokens.lifetimeFor(SignalingServer.DEFAULT_GRACE_PERIOD));
        this.roomKeys = roomKeys;
        this.media = media;
        this.directory = directory;
    }

    /** The token of a participant that joins here (its first generation). */
    String tokenFor(String participantId, String roomKey, String nodeId) {
        return tokens.issue(participantId, roomKey, nodeId, 0);
    }

    /** The token of a participant moved to {@code nodeId} (same generation). */
    String tokenFor(Participant p, String nodeId) {
        return tokens.issue(p.id, p.roomKey, nodeId, p.generation);
    }

    /** What a {@code resume} for a participant held elsewhere carries, once checked. */
    record Claim(String participant, String token, String room, String roomKey, String nodeId, String name,
                 boolean audio, boolean video, long generation) {
    }

    /**
     * Checks a {@code resume} for a participant not held here: the token must be this cluster's MAC
     * of the participant, the key of the room named in the message and the node named in the token,
     * and unexpired (its generation is checked by the instance holding the participant, if alive).
     */
    Claim check(String participant, String token, JsonObject message) throws ProtocolError {
        if (!participant.matches("p[0-9a-f]{16}")) {
            throw ResumeTokens.invalid();
        }
        String room;
        String name;
        boolean audio;
        boolean video;
        try {
            room = ClientMessages.roomName(message);
            name = ClientMessages.displayName(message);
            audio = ClientMessages.bool(message, "audio");
            video = ClientMessages.bool(message, "video");
        } catch (ProtocolError e) {
            throw ResumeTokens.invalid();
        }
        String roomKey = roomKeys.keyOf(room);
        ResumeTokens.Checked t = tokens.check(participant, roomKey, token);
        return new Claim(participant, token, room, roomKey, t.nodeId(), name, audio, video, t.generation());
    }

    /** The participant is gone: the media node does not know it (any more). */
    static ProtocolError failed() {
        return new ProtocolError(ClientMessages.RESUME_FAILED, "you are no longer in the meeting; join again", "gone");
    }

    /**
     * Takes the participant over from whichever instance holds it (if any, and alive): the result
     * is registered here (consumers, directory), detached, with the outstanding offer pending.
     * Fails with {@code resume-failed} when the media node does not know the participant, or the
     * instance holding it refuses the token's generation (it resumed with that token already). The
     * participant gets the next generation and a fresh token.
     */
    Future<Participant> takeOver(Claim c) {
        return eventBus.request(Addresses.participant(c.participant()),
                        SignalingCodec.encode(new ParticipantMessage.Takeover(c.generation())), takeoverOptions)
                .transform(reply -> {
                    if (reply.failed() && reply.cause() instanceof io.vertx.core.eventbus.ReplyException r
                            && r.failureType() == io.vertx.core.eventbus.ReplyFailure.RECIPIENT_FAILURE
                            && r.failureCode() == STALE_GENERATION) {
                        return Future.failedFuture(ResumeTokens.used());
                    }
                    // Taken, or nobody holds it (no consumer, or a dead instance's timeout).
                    Participant p = new Participant(eventBus, c.participant(), c.token(), c.room(),
                            c.roomKey(), c.nodeId(), c.name(), c.audio(), c.video());
                    p.generation = c.generation() + 1;
                    p.token = tokens.issue(p);
                    return adopt(p, true);
                });
    }

    /**
     * Registers a participant held nowhere else now, asks its media node for the outstanding offer,
     * re-announces it. Should a copy be held here meanwhile (a hand-off and a client's resume racing),
     * the client's resume wins: {@code fromClient} stands the other copy down, a hand-off yields.
     */
    private Future<Participant> adopt(Participant p, boolean fromClient) {
        return p.subscribe()
                .compose(ok -> media.resume(p.nodeId, p.id))
                .transform(result -> {
                    if (result.failed()) {
                        p.unsubscribe();
                        if (!MediaNodeClient.unknownParticipant(result.cause())) {
                            media.release(p.nodeId, p.id); // the client joins again: do not leave this one behind
                        }
                        return Future.failedFuture(failed());
                    }
                    Participant earlier = directory.find(p.id);
                    if (earlier != null && !fromClient) {
                        p.unsubscribe();
                        return Future.succeededFuture(earlier);
                    }
                    if (earlier != null) {
                        directory.standDown(earlier);
                    }
                    directory.add(p);
                    if (result.result() != null) {
                        p.onNodeMessage(result.result()); // the outstanding offer, from the reply
                    }
                    p.announceResumed();
                    LOG.log(System.Logger.Level.DEBUG, "participant {0} taken over by this instance", p.id);
                    return Future.succeededFuture(p);
                });
    }

    // ---- hand-off when this instance stops ----------------------------------------------------

    /** Starts taking participants handed off by instances that stop. */
    Future<Void> startHandoffConsumer() {
        handoffConsumer = eventBus.consumer(Addresses.signalingHandoff(), this::onHandoff);
        return handoffConsumer.completion();
    }

    private void onHandoff(Message<Object> message) {
        Handoff h;
        try {
            h = SignalingCodec.decodeHandoff(message.body());
        } catch (BadMessage bad) {
            message.fail(bad.code, "malformed hand-off: " + bad.getMessage());
            return;
        }
        String id = h.participant();
        String token = h.token();
        String roomKey = h.room();
        ResumeTokens.Checked checked = tokens.signed(id, roomKey, token); // expired or not: the client's may be fresher
        if (checked == null) {
            message.fail(400, "the token does not check out");
            return;
        }
        if (directory.find(id) != null) {
            message.reply(MediaCodec.ok()); // its client resumed here already
            return;
        }
        Participant handed = new Participant(eventBus, id, token, null, roomKey, checked.nodeId(), h.name(), h.audio(),
                h.video());
        handed.generation = checked.generation();
        adopt(handed, false).onComplete(r -> {
            if (r.succeeded()) {
                if (r.result().session() == null) {
                    directory.startGrace(r.result());
                }
                message.reply(MediaCodec.ok());
            } else {
                message.fail(404, "the media node does not know the participant");
            }
        });
    }

    /**
     * This instance stops: every participant it holds goes to another instance, which keeps it for
     * the grace period; its socket is closed (1012, service restart) so that its client resumes
     * somewhere. With no other instance to take it, the participant leaves as before.
     */
    Future<Void> handOffAll() {
        Future<Void> unregistered = handoffConsumer == null ? Future.succeededFuture() : handoffConsumer.unregister();
        return unregistered.transform(v -> {
            List<Future<Void>> all = new ArrayList<>();
            for (Participant p : directory.all()) {
                all.add(handOff(p));
            }
            return Future.join(all).mapEmpty();
        });
    }

    private Future<Void> handOff(Participant p) {
        directory.forget(p);
        ClientSession session = p.session();
        p.detach();
        if (session != null) {
            session.evict((short) 1012, "this server is restarting; resume on another");
        }
        RoomEvent.Entry entry = p.entry();
        JsonObject handoff = SignalingCodec.encode(new Handoff(p.id, p.token, p.roomKey, entry.name(), entry.audio(),
                entry.video()));
        return p.unsubscribe()
                .transform(v -> eventBus.request(Addresses.signalingHandoff(), handoff, takeoverOptions))
                .transform(r -> {
                    if (r.succeeded()) {
                        return Future.<Void>succeededFuture();
                    }
                    LOG.log(System.Logger.Level.DEBUG, "no instance took participant {0}; it leaves", p.id);
                    p.announceLeft();
                    return media.release(p.nodeId, p.id).otherwiseEmpty();
                });
    }
}
