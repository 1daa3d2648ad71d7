package org.huisclos.signaling;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The participants whose WebSocket this instance holds or held within the grace period, by id,
 * so that a {@code resume} can find them. Ends a participant's presence: release at the media
 * node, {@code left} to the room. Confined to the signaling server's event loop.
 */
final class ParticipantDirectory {
    private static final System.Logger LOG = System.getLogger(ParticipantDirectory.class.getName());

    private final Vertx vertx;
    private final MediaNodeClient media;
    private long graceMillis;
    private final Map<String, Participant> byId = new HashMap<>();
    private AccessControl access;

    ParticipantDirectory(Vertx vertx, MediaNodeClient media, long graceMillis) {
        this.vertx = vertx;
        this.media = media;
        this.graceMillis = graceMillis;
    }

    void access(AccessControl access) {
        this.access = access;
    }

    void graceMillis(long millis) {
        this.graceMillis = millis;
    }

    void add(Participant participant) {
        byId.put(participant.id, participant);
        participant.onTakeover(() -> standDown(participant));
        participant.onRemoved(() -> removedByModerator(participant));
    }

    /**
     * The moderator removed the participant: its client gets {@code removed} and its socket closes
     * (code 4001, no reconnection), its endpoint is released at once, and the room is told it left.
     */
    void removedByModerator(Participant participant) {
        if (byId.get(participant.id) != participant) {
            return;
        }
        ClientSession session = participant.session();
        if (session != null) {
            session.send(ClientMessages.removed());
            session.evict((short) 4001, "removed by the moderator");
        }
        remove(participant);
    }

    /**
     * Another instance took the participant over: let go of it here without releasing its media
     * endpoint and without telling the room it left. Its socket, if any, is closed with 4000.
     */
    Future<Void> standDown(Participant participant) {
        byId.remove(participant.id, participant);
        cancelGrace(participant);
        ClientSession session = participant.session();
        if (session != null) {
            session.evict((short) 4000, "resumed on another connection");
        }
        participant.detach();
        LOG.log(System.Logger.Level.DEBUG, "participant {0} was taken over by another instance", participant.id);
        return participant.unsubscribe();
    }

    /** Every participant held here, for a hand-off when the server stops. */
    List<Participant> all() {
        return List.copyOf(byId.values());
    }

    /** Forgets the participant without a release (it was handed to another instance). */
    void forget(Participant participant) {
        byId.remove(participant.id, participant);
        cancelGrace(participant);
    }

    Participant find(String participantId) {
        return byId.get(participantId);
    }

    /** The media nodes this instance's participants use. */
    java.util.Set<String> nodesInUse() {
        java.util.Set<String> nodes = new java.util.HashSet<>();
        for (Participant p : byId.values()) {
            nodes.add(p.nodeId);
        }
        return nodes;
    }

    int size() {
        return byId.size();
    }

    /** The socket went away: keep the participant for the grace period, then let it go. */
    void startGrace(Participant participant) {
        cancelGrace(participant);
        participant.graceTimer = vertx.setTimer(graceMillis, t -> {
            participant.graceTimer = -1;
            if (participant.session() == null) {
                remove(participant);
            }
        });
    }

    void cancelGrace(Participant participant) {
        if (participant.graceTimer >= 0) {
            vertx.cancelTimer(participant.graceTimer);
            participant.graceTimer = -1;
        }
    }

    /** The participant leaves the meeting for good. */
    Future<Void> remove(Participant participant) {
        byId.remove(participant.id, participant);
        cancelGrace(participant);
        Future<Void> released = media.release(participant.nodeId, participant.id)
                .onFailure(e -> LOG.log(System.Logger.Level.WARNING,
                        "a media node did not confirm the release of a participant: {0}", e.getClass().getSimpleName()));
        // Unsubscribe before announcing, so that our own consumer does not receive the event.
        Future<Void> unsubscribed = participant.unsubscribe().eventually(() -> {
            participant.announceLeft();
            if (access != null) {
                access.left(participant);
            }
            return Future.succeededFuture();
        });
        return Future.join(unsubscribed, released).mapEmpty();
    }

    Future<Void> removeAll() {
        List<Future<Void>> removals = new ArrayList<>();
        for (Participant participant : List.copyOf(byId.values())) {
            removals.add(remove(participant));
        }
        return Future.join(removals).mapEmpty();
    }
}
