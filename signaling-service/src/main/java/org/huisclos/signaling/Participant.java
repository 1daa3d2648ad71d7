package org.huisclos.signaling;

import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.huisclos.contract.Addresses;
import org.huisclos.contract.BadMessage;
import org.huisclos.contract.MediaCodec;
import org.huisclos.contract.NodeMessage;
import org.huisclos.contract.ParticipantMessage;
import org.huisclos.contract.RoomEvent;
import org.huisclos.contract.SignalingCodec;

/**
 * One participant of a meeting as this signaling instance holds it: its event-bus consumers, its
 * display name and mute state, what it knows of the room, and the offer it has yet to answer. It
 * outlives a dropped WebSocket (the grace period) so that a {@code resume} on a new socket finds
 * it; {@link #attach}/{@link #detach} move it between sockets. Nothing here is ever written to
 * disk or logged. All methods run on the signaling server's event loop.
 */
final class Participant {
    private static final System.Logger LOG = System.getLogger(Participant.class.getName());
    final String id;
    /** The resume token; it names the media node, so it changes when the participant's media moves. */
    volatile String token;
    /** Of its resume tokens: only a token of this generation resumes; each takeover starts the next. */
    long generation;
    final String roomName;
    final String roomKey;
    /** The media node that holds the participant's endpoint; changes when the participant is moved. */
    String nodeId;
    /** The incarnation (cluster member) of {@link #nodeId} the endpoint was made on, once the watcher saw it. */
    String nodeIncarnation;
    /** The region the participant is placed by (its own, or its signaling instance's; empty: none). */
    String region = "";
    /** A move to another node is under way (see {@link MediaMover}). */
    boolean moving;
    private final String name;
    private boolean audio;
    private boolean video;

    private final EventBus eventBus;
    private MessageConsumer<Object> ownConsumer;
    private MessageConsumer<Object> roomConsumer;

    /** The others in the room, by id, as last announced. */
    private final Map<String, RoomEvent.Entry> roster = new LinkedHashMap<>();
    /** Ids that left: a late roster entry from one of them must not bring a tile back. */
    private final Set<String> departed = new HashSet<>();
    /** What the client was last shown of the roster, so that a resume can send the difference. */
    private Set<String> shownAtDetach = Set.of();
    /** The latest offer not yet answered, kept to be sent again after a resume. */
    private JsonObject pendingOffer;
    /**
     * Offer versions the client sees keep rising across moves: a node's version plus this base,
     * the highest version the client was given before the move. So an answer to the old node's
     * offer can never be taken for the answer to the new node's.
     */
    private long versionBase;
    private long highestVersion;
    /** Moved while no socket was attached: the next socket gets {@code media-moved} first. */
    private boolean movedWhileDetached;

    private ClientSession session;
    long graceTimer = -1;
    /** The room's moderator as last announced (null: not known yet, or nobody). */
    String moderator;
    /** Clients waiting in the lobby who knocked at this participant (as moderator), by id: shown again after a resume. */
    private final Map<String, String> knocks = new LinkedHashMap<>();
    /** What to do when the moderator removes this participant (set by the directory). */
    private Runnable onRemoved = () -> { };
    /** What to do when another instance takes this participant over (set by the directory). */
    private java.util.function.Supplier<Future<Void>> onTakeover = Future::succeededFuture;

    /** {@code id} is new on a join, or the client's own on a resume here from another instance. */
    Participant(EventBus eventBus, String id, String token, String roomName, String roomKey, String nodeId,
            String name, boolean audio, boolean video) {
        this.eventBus = eventBus;
        this.id = id;
        this.token = token;
        this.roomName = roomName;
        this.roomKey = roomKey;
        this.nodeId = nodeId;
        this.name = name;
        this.audio = audio;
        this.video = video;
    }

    /** Starts consuming the participant's and the room's addresses; completes once registered. */
    Future<Void> subscribe() {
        ownConsumer = eventBus.consumer(Addresses.participant(id), this::onDirectMessage);
        roomConsumer = eventBus.consumer(Addresses.room(roomKey), this::onRoomEvent);
        return Future.all(ownConsumer.completion(), roomConsumer.completion()).mapEmpty();
    }

    Future<Void> unsubscribe() {
        Future<Void> own = ownConsumer == null ? Future.succeededFuture() : ownConsumer.unregister();
        Future<Void> room = roomConsumer == null ? Future.succeededFuture() : roomConsumer.unregister();
        return Future.all(own, room).mapEmpty();
    }

    /** This participant's roster entry, as others' browsers show it. */
    RoomEvent.Entry entry() {
        return new RoomEvent.Entry(id, name, audio, video, RoomEvent.Arrival.CHANGE);
    }

    void announceJoin() {
        eventBus.publish(Addresses.room(roomKey), SignalingCodec.encode(entry().as(RoomEvent.Arrival.JOINED)));
    }

    /** Taken over from another instance: the others update our entry and send theirs to us. */
    void announceResumed() {
        eventBus.publish(Addresses.room(roomKey), SignalingCodec.encode(entry().as(RoomEvent.Arrival.RESUMED)));
    }

    /** {@code handler} completes once this instance let go (its consumers unregistered). */
    void onTakeover(java.util.function.Supplier<Future<Void>> handler) {
        this.onTakeover = handler;
    }

    void onRemoved(Runnable handler) {
        this.onRemoved = handler;
    }

    /** The moderator admitted or refused that waiting client: its knock is no longer shown again. */
    void knockHandled(String waiting) {
        knocks.remove(waiting);
    }

    /** Whether {@code other} is in the room as this participant last heard. */
    boolean knows(String other) {
        return roster.containsKey(other);
    }

    /** Who takes over moderation when this participant goes: the longest-present other one, or null. */
    String successor() {
        return roster.isEmpty() ? null : roster.keySet().iterator().next();
    }

    boolean audio() {
        return audio;
    }

    boolean video() {
        return video;
    }

    void mute(boolean audio, boolean video) {
        this.audio = audio;
        this.video = video;
        eventBus.publish(Addresses.room(roomKey), SignalingCodec.encode((RoomEvent) entry()));
    }

    void announceLeft() {
        eventBus.publish(Addresses.room(roomKey), SignalingCodec.encode(new RoomEvent.Left(id)));
    }

    /**
     * Binds the participant to a socket and brings that client up to date: {@code left} for those
     * who went while no socket was attached, the current roster, then the unanswered offer.
     */
    void attach(ClientSession newSession) {
        session = newSession;
        if (movedWhileDetached) {
            movedWhileDetached = false;
            session.send(ClientMessages.mediaMoved(token));
        }
        for (String gone : shownAtDetach) {
            if (!roster.containsKey(gone)) {
                session.send(ClientMessages.left(gone));
            }
        }
        roster.values().forEach(entry -> session.send(ClientMessages.participant(entry)));
        if (pendingOffer != null) {
            session.send(pendingOffer.copy());
        }
        knocks.forEach((who, n) -> session.send(ClientMessages.knock(who, n)));
    }

    void detach() {
        session = null;
        shownAtDetach = Set.copyOf(roster.keySet());
    }

    ClientSession session() {
        return session;
    }

    /** Takes the outstanding offer if it has that version; null means the answer is stale. */
    JsonObject takeOffer(long version) {
        if (pendingOffer != null && pendingOffer.getValue("version") instanceof Number n
                && n.longValue() == version) {
            JsonObject offer = pendingOffer;
            pendingOffer = null;
            return offer;
        }
        return null;
    }

    /** Puts back an offer whose answer the media node refused, unless a newer one came since (or a move). */
    void restoreOffer(JsonObject offer) {
        if (pendingOffer == null && offer.getValue("version") instanceof Number n && n.longValue() > versionBase) {
            pendingOffer = offer;
        }
    }

    /** The media node's version of the offer the client knows as {@code clientVersion}. */
    long nodeVersion(long clientVersion) {
        return clientVersion - versionBase;
    }

    /**
     * The participant's media moves to {@code newNodeId}: its offers are taken from there from now
     * on, with versions rebased, and the client is told {@code media-moved} before the first one.
     */
    void moveTo(String newNodeId, String newToken) {
        nodeId = newNodeId;
        token = newToken;
        nodeIncarnation = null;
        pendingOffer = null;
        versionBase = highestVersion;
        if (session != null) {
            session.send(ClientMessages.mediaMoved(token));
        } else {
            movedWhileDetached = true;
        }
    }

    /** A move failed: back on the old node until the next attempt (which tells the client again). */
    void moveBack(String oldNodeId, String oldIncarnation, String oldToken) {
        nodeId = oldNodeId;
        token = oldToken;
        nodeIncarnation = oldIncarnation;
        pendingOffer = null;
    }

    /** What comes to this participant's address: a node's message, a roster entry, or a request of another instance. */
    private void onDirectMessage(Message<Object> message) {
        ParticipantMessage m;
        try {
            m = SignalingCodec.decodeParticipantMessage(message.body());
        } catch (BadMessage bad) {
            LOG.log(System.Logger.Level.DEBUG, "a participant message was refused: {0}", bad.getMessage());
            if (message.replyAddress() != null) {
                message.fail(bad.code, bad.getMessage());
            }
            return;
        }
        if (m instanceof ParticipantMessage.Takeover t) {
            if (t.generation() != generation) {
                message.fail(Resumption.STALE_GENERATION, "that resume token was used already");
                return;
            }
            generation++; // a second takeover with the same token fails too
            // Reply once our consumers are gone, so that the new instance's are the only ones left.
            onTakeover.get().onComplete(done -> message.reply(MediaCodec.ok()));
        } else if (m instanceof NodeMessage fromNode) {
            onNodeMessage(fromNode);
        } else if (m instanceof RoomEvent.Entry e) {
            rememberEntry(e);
        } else {
            onAccessMessage(message, m);
        }
    }

    /** A media node's offer or failure (by the event bus, or in the reply to a resume). */
    void onNodeMessage(NodeMessage message) {
        if (!message.node().equals(nodeId)) {
            return; // a late message from a node this participant moved away from
        }
        if (message instanceof NodeMessage.Offer o) {
            long version = o.version() + versionBase;
            highestVersion = Math.max(highestVersion, version);
            pendingOffer = ClientMessages.offer(version, o.sdp(), o.tracks());
            toClient(pendingOffer);
        } else if (message instanceof NodeMessage.Speaker sp) {
            toClient(ClientMessages.speaker(sp.participant()));
        } else if (message instanceof NodeMessage.Layers l) {
            toClient(ClientMessages.layers(l.active()));
        } else if (message instanceof NodeMessage.MediaFailed f) {
            pendingOffer = null;
            toClient(ClientMessages.error(ClientMessages.MEDIA_FAILED, f.reason(), null));
        }
    }

    /** Moderation and lobby requests to this participant (docs/cluster-protocol.md). */
    private void onAccessMessage(Message<Object> message, ParticipantMessage m) {
        if (m instanceof ParticipantMessage.Knock k) {
            knocks.put(k.participant(), k.name());
            toClient(ClientMessages.knock(k.participant(), k.name()));
        } else if (m instanceof ParticipantMessage.KnockCancelled k) {
            if (knocks.remove(k.participant()) != null) {
                toClient(ClientMessages.knockCancelled(k.participant()));
            }
        } else if (m instanceof ParticipantMessage.MuteRequest r) {
            if (audio) {
                mute(false, video);
            }
            toClient(ClientMessages.muted(r.by()));
        } else if (m instanceof ParticipantMessage.Remove) {
            message.reply(MediaCodec.ok());
            onRemoved.run();
            return;
        } else if (m instanceof ParticipantMessage.Admit || m instanceof ParticipantMessage.Refuse) {
            message.fail(404, "not waiting in the lobby"); // already in the room
            return;
        }
        message.reply(MediaCodec.ok()); // a knock, a mute request, or a moderator ping
    }

    private void onRoomEvent(Message<Object> message) {
        RoomEvent event;
        try {
            event = SignalingCodec.decodeRoomEvent(message.body());
        } catch (BadMessage bad) {
            LOG.log(System.Logger.Level.DEBUG, "a room event was dropped: {0}", bad.getMessage());
            return;
        }
        if (event instanceof RoomEvent.Moderator m) {
            moderator = m.participant();
            toClient(ClientMessages.moderator(moderator));
        } else if (event instanceof RoomEvent.Settings settings) {
            toClient(ClientMessages.roomSettings(settings.lobby(), settings.password()));
        } else if (event instanceof RoomEvent.Entry e && !e.participant().equals(id)) {
            rememberEntry(e);
            if (e.arrival() != RoomEvent.Arrival.CHANGE) {
                eventBus.send(Addresses.participant(e.participant()), SignalingCodec.encode((ParticipantMessage) entry()));
            }
        } else if (event instanceof RoomEvent.Left l && !l.participant().equals(id)) {
            roster.remove(l.participant());
            departed.add(l.participant());
            toClient(ClientMessages.left(l.participant()));
        }
    }

    private void rememberEntry(RoomEvent.Entry e) {
        if (e.participant().equals(id) || departed.contains(e.participant())) {
            return;
        }
        RoomEvent.Entry shown = e.as(RoomEvent.Arrival.CHANGE);
        roster.put(e.participant(), shown);
        toClient(ClientMessages.participant(shown));
    }

    private void toClient(JsonObject message) {
        if (session != null) {
            session.send(message.copy());
        }
    }
}
