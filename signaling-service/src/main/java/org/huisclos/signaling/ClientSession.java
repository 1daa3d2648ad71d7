package org.huisclos.signaling;

import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.Set;
import org.huisclos.contract.ParticipantMessage;
import org.huisclos.registry.RoomKeys;
import org.huisclos.turn.TurnCredentials;

/**
 * One WebSocket of the client protocol (docs/protocol.md): reads frames, checks them, and drives
 * the socket through fresh → joining → joined (→ fresh again after {@code leave}). A malformed
 * frame gets an {@code error} reply and changes nothing else. When the socket closes, the
 * participant is handed to the {@link ParticipantDirectory} for the grace period.
 */
final class ClientSession {
    private final ServerWebSocket socket;
    private final EventBus eventBus;
    private final RoomKeys roomKeys;
    private final MediaPlacement placement;
    private final MediaNodeClient media;
    private final ParticipantDirectory directory;
    private final SignalingMetrics metrics;
    private final Resumption resumption;
    private final AccessControl access;
    /** The TURN servers every offer carries with a fresh credential; null: no TURN configured. */
    private final TurnCredentials turn;
    /** The keyed hash of the client's address ({@link ClientAddresses}): its password guesses are counted by it. */
    private final String client;
    private final ClientQuotas quotas;
    /** Waiting in a room's lobby (joining is true meanwhile). */
    private LobbyWait waiting;

    private Participant participant;
    /** System.nanoTime() of the join being timed; 0 once its first answer was relayed (or none). */
    private long joinStarted;
    private static final long VIEW_INTERVAL_MS = 100;
    private long lastView;
    private boolean joining;
    private boolean closed;

    ClientSession(ServerWebSocket socket, EventBus eventBus, RoomKeys roomKeys, MediaPlacement placement,
            MediaNodeClient media, ParticipantDirectory directory, SignalingMetrics metrics, Resumption resumption,
            AccessControl access, TurnCredentials turn, String client, ClientQuotas quotas) {
        this.client = client;
        this.quotas = quotas;
        this.access = access;
        this.turn = turn;
        this.socket = socket;
        this.eventBus = eventBus;
        this.roomKeys = roomKeys;
        this.placement = placement;
        this.media = media;
        this.directory = directory;
        this.metrics = metrics;
        this.resumption = resumption;
    }

    void start() {
        metrics.connectionOpened();
        socket.textMessageHandler(this::onFrame);
        socket.binaryMessageHandler(b -> sendError(new ProtocolError(ClientMessages.BAD_JSON,
                "frames must be text frames holding a JSON object"), null));
        socket.exceptionHandler(e -> { }); // the close handler follows; nothing worth logging
        socket.closeHandler(v -> onClose());
    }

    void send(JsonObject message) {
        if (!closed) {
            socket.writeTextMessage(withIceServers(message).encode());
        }
    }

    /**
     * An offer leaves with the TURN servers and a credential made now (docs/protocol.md, TURN), so
     * that one sent again after a resume never carries an expired one. Without TURN, unchanged.
     */
    private JsonObject withIceServers(JsonObject message) {
        if (turn == null || !ParticipantMessage.OFFER.equals(ClientMessages.typeOf(message))) {
            return message;
        }
        return ClientMessages.withIceServers(message, turn.urls(), turn.issue());
    }

    private void onFrame(String frame) {
        JsonObject message = null;
        try {
            message = ClientMessages.decode(frame);
            dispatch(message);
        } catch (ProtocolError e) {
            sendError(e, ClientMessages.typeOf(message));
        }
    }

    private void dispatch(JsonObject message) throws ProtocolError {
        switch (ClientMessages.typeOf(message)) {
            case ClientMessages.JOIN -> join(message);
            case ClientMessages.ANSWER -> answer(message);
            case ClientMessages.MUTE -> mute(message);
            case ClientMessages.LEAVE -> leave();
            case ClientMessages.RESUME -> resume(message);
            case ClientMessages.VIEW -> view(message);
            case ClientMessages.PING -> send(ClientMessages.pong(participant == null ? null
                    : resumption.tokens.refresh(participant)));
            case ClientMessages.MUTE_PARTICIPANT, ClientMessages.REMOVE_PARTICIPANT, ClientMessages.HAND_OVER,
                    ClientMessages.SET_PASSWORD, ClientMessages.LOBBY, ClientMessages.ADMIT, ClientMessages.REFUSE ->
                    moderate(message);
            default -> throw new IllegalStateException("decode lets only known types through");
        }
    }

    private void join(JsonObject message) throws ProtocolError {
        long v = ClientMessages.integer(message, "v");
        if (v != 1) {
            throw new ProtocolError(ClientMessages.UNSUPPORTED_VERSION,
                    "this server speaks protocol version 1; please reload the page");
        }
        String room = ClientMessages.roomName(message);
        String name = ClientMessages.displayName(message);
        boolean audio = ClientMessages.bool(message, "audio");
        boolean video = ClientMessages.bool(message, "video");
        Object given = message.getValue("password");
        if (given != null && !(given instanceof String)) {
            throw new ProtocolError(ClientMessages.BAD_MESSAGE, "field 'password' must be a string");
        }
        String password = (String) given;
        Object tokenGiven = message.getValue("token");
        if (tokenGiven != null && !(tokenGiven instanceof String)) {
            throw new ProtocolError(ClientMessages.BAD_MESSAGE, "field 'token' must be a string");
        }
        String token = (String) tokenGiven;
        Object regionGiven = message.getValue("region");
        if (regionGiven != null && !(regionGiven instanceof String r && MediaPlacement.REGION.matcher(r).matches())) {
            throw new ProtocolError(ClientMessages.BAD_MESSAGE,
                    "field 'region' must be up to 32 letters, digits, '-', '_' or '.'");
        }
        String region = placement.regionFor((String) regionGiven);
        requireNotInRoom();
        long wait = quotas.takeJoin(client, System.currentTimeMillis());
        if (wait > 0) {
            long seconds = (wait + 999) / 1000;
            throw new ProtocolError(ClientMessages.RATE_LIMITED, "too many joins from your address within a minute; "
                    + "try again in " + seconds + " s", seconds, "joins");
        }
        joining = true;
        long[] started = {System.nanoTime()};
        String roomKey = roomKeys.keyOf(room);
        // Password and lobby first: nothing is allocated at a media node before the room lets the client in.
        access.enter(this, roomKey, name, password, token, client).compose(id -> {
            if (waiting != null) {
                started[0] = System.nanoTime(); // the join time measured excludes the wait in the lobby
            }
            waiting = null;
            if (closed) {
                return Future.failedFuture(new ProtocolError(AccessControl.CANCELLED, "the client went"));
            }
            return placement.node(roomKey, region, Set.of())
                .recover(e -> Future.failedFuture(unavailable()))
                .compose(nodeId -> {
                    Participant p = new Participant(eventBus, id, resumption.tokenFor(id, roomKey, nodeId), room,
                            roomKey, nodeId, name, audio, video);
                    p.region = region;
                    return p.subscribe()
                            .compose(ok -> allocate(p, new HashSet<>(), 1))
                            .map(p)
                            .onFailure(e -> p.unsubscribe());
                });
        }).onComplete(result -> {
                    joining = false;
                    waiting = null;
                    if (result.succeeded()) {
                        enter(result.result(), started[0]);
                    } else if (result.cause() instanceof ProtocolError e && AccessControl.REFUSED.equals(e.code())) {
                        send(ClientMessages.refused());
                    } else if (!(result.cause() instanceof ProtocolError e && AccessControl.CANCELLED.equals(e.code()))) {
                        sendError(asProtocolError(result.cause()), ClientMessages.JOIN);
                    }
                });
    }

    private static ProtocolError unavailable() {
        return new ProtocolError(ClientMessages.MEDIA_UNAVAILABLE,
                "no media server is available now; please try again in a moment");
    }

    /**
     * Allocates the participant on its node; when that node is full, on another one the registry
     * gives (the room then spans it), at most {@link MediaPlacement#ATTEMPTS} nodes. Once allocated,
     * the node links up with the room's other nodes.
     */
    private Future<Void> allocate(Participant p, Set<String> full, int attempt) {
        String nodeId = p.nodeId;
        return media.allocate(nodeId, p.roomKey, p.id).compose(ok -> {
            placement.linkUp(p.roomKey, nodeId);
            return Future.<Void>succeededFuture();
        }, failure -> {
            media.release(nodeId, p.id); // in case the allocation went through late
            if (!(failure instanceof MediaNodeClient.NodeFull) || attempt >= MediaPlacement.ATTEMPTS || closed) {
                return Future.failedFuture(failure instanceof MediaNodeClient.NodeFull ? unavailable() : failure);
            }
            full.add(nodeId);
            return placement.node(p.roomKey, p.region, full).recover(e -> Future.failedFuture(unavailable()))
                    .compose(next -> {
                        p.nodeId = next;
                        p.token = resumption.tokenFor(p.id, p.roomKey, next);
                        return allocate(p, full, attempt + 1);
                    });
        });
    }

    private void enter(Participant joined, long started) {
        directory.add(joined);
        if (closed) {
            directory.remove(joined); // the client went before it learned its token
            return;
        }
        participant = joined;
        metrics.joined();
        joinStarted = started;
        send(ClientMessages.joined(joined.id, joined.token, joined.roomName));
        joined.attach(this);
        joined.announceJoin();
        access.entered(joined, this);
    }

    /** The client waits in a lobby until {@code wait} ends. */
    void waiting(LobbyWait wait) {
        this.waiting = wait;
    }

    private void moderate(JsonObject message) throws ProtocolError {
        String type = ClientMessages.typeOf(message);
        Participant me = requireInRoom();
        access.command(me, type, message).onFailure(e -> sendError(asProtocolError(e), type));
    }

    private void answer(JsonObject message) throws ProtocolError {
        long version = ClientMessages.integer(message, "version");
        String sdp = ClientMessages.string(message, "sdp");
        Participant p = requireInRoom();
        JsonObject offer = p.takeOffer(version);
        if (offer == null) {
            throw new ProtocolError(ClientMessages.STALE_ANSWER,
                    "this answer is not for the outstanding offer; answer the latest offer");
        }
        media.answer(p.nodeId, p.id, p.nodeVersion(version), sdp).onSuccess(ok -> {
            if (joinStarted != 0) {
                metrics.joinCompleted(joinStarted);
                joinStarted = 0;
            }
        }).onFailure(e -> {
            ProtocolError error = asProtocolError(e);
            if (!ClientMessages.STALE_ANSWER.equals(error.code())) {
                p.restoreOffer(offer);
            }
            ClientSession current = p.session();
            if (current != null) {
                current.sendError(error, ClientMessages.ANSWER);
            }
        });
    }

    /**
     * How the page shows the videos it receives, for the media node's choice of simulcast layers. At most
     * one per {@link #VIEW_INTERVAL_MS} (pages send one after a layout change, debounced); more are refused.
     */
    private void view(JsonObject message) throws ProtocolError {
        java.util.Map<String, Integer> heights = ClientMessages.viewHeights(message);
        Participant p = requireInRoom();
        long now = System.currentTimeMillis();
        if (now - lastView < VIEW_INTERVAL_MS) {
            throw new ProtocolError(ClientMessages.RATE_LIMITED, "at most one view per " + VIEW_INTERVAL_MS + " ms");
        }
        lastView = now;
        // a view the node did not take (it moved or went) is no one's concern: the next view or the default holds
        media.view(p.nodeId, p.id, heights);
    }

    private void mute(JsonObject message) throws ProtocolError {
        boolean audio = ClientMessages.bool(message, "audio");
        boolean video = ClientMessages.bool(message, "video");
        requireInRoom().mute(audio, video);
    }

    private void leave() throws ProtocolError {
        if (waiting != null) {
            waiting.cancel(); // the join ends without a reply, as a leave does
            return;
        }
        Participant p = requireInRoom();
        participant = null;
        joinStarted = 0;
        p.detach();
        directory.remove(p);
    }

    private void resume(JsonObject message) throws ProtocolError {
        String id = ClientMessages.string(message, "participant");
        String token = ClientMessages.string(message, "token");
        requireNotInRoom();
        Participant p = directory.find(id);
        if (p == null) {
            resumeFromElsewhere(resumption.check(id, token, message));
            return;
        }
        resumption.tokens.checkHeld(p, token); // any node it was on, but unexpired and of its generation
        ClientSession previous = p.session();
        if (previous != null) {
            previous.evict((short) 4000, "resumed on another connection");
        }
        directory.cancelGrace(p);
        resumption.tokens.renew(p);
        participant = p;
        send(ClientMessages.resumed(p.id, p.token));
        p.attach(this);
        access.resumed(p, this);
    }

    /** The participant was held by another instance (or one that stopped or died): take it over. */
    private void resumeFromElsewhere(Resumption.Claim claim) {
        joining = true;
        resumption.takeOver(claim).onComplete(result -> {
            joining = false;
            if (result.failed()) {
                sendError(asProtocolError(result.cause()), ClientMessages.RESUME);
                return;
            }
            Participant p = result.result();
            if (closed) {
                directory.startGrace(p); // the client went meanwhile: it may resume again
                return;
            }
            participant = p;
            send(ClientMessages.resumed(p.id, p.token));
            p.attach(this);
            access.resumed(p, this);
        });
    }

    /** Another socket or instance took this session's participant, or the server stops: this socket lets go. */
    void evict(short code, String reason) {
        if (participant != null) {
            participant.detach();
            participant = null;
        }
        closed = true;
        socket.close(code, reason);
    }

    private void onClose() {
        closed = true;
        if (waiting != null) {
            waiting.cancel();
        }
        metrics.connectionClosed();
        if (participant != null) {
            Participant p = participant;
            participant = null;
            p.detach();
            directory.startGrace(p);
        }
    }

    private Participant requireInRoom() throws ProtocolError {
        if (participant == null) {
            throw new ProtocolError(ClientMessages.NOT_JOINED, "join a room first");
        }
        return participant;
    }

    private void requireNotInRoom() throws ProtocolError {
        if (participant != null || joining) {
            throw new ProtocolError(ClientMessages.ALREADY_JOINED,
                    "this connection is already in a room; leave it first");
        }
    }

    private void sendError(ProtocolError error, String request) {
        metrics.error(error.code(), error.reason());
        send(ClientMessages.error(error, request));
    }

    private static ProtocolError asProtocolError(Throwable failure) {
        if (failure instanceof ProtocolError error) {
            return error;
        }
        return new ProtocolError(ClientMessages.MEDIA_UNAVAILABLE,
                "the media server could not be reached; please try again in a moment");
    }
}
