package org.huisclos.signaling;

import java.util.HashSet;
import java.util.Set;

/**
 * Moves participants off a media node that died or drains: each is placed again (on a node the
 * room spans that has room, else on a new node for the room, so a dead node's participants may
 * land on several nodes, joined by relay links), allocated there under the same id,
 * the browser is told {@code media-moved} before the new node's first offer, and its endpoint
 * on the old node is released (a draining node, or one whose heartbeat was late but which still
 * answers, would otherwise keep it and its capacity slot; a restarted node has none). A failed move is tried again on the watcher's
 * next look. Confined to the signaling server's event loop.
 */
final class MediaMover {
    private static final System.Logger LOG = System.getLogger(MediaMover.class.getName());

    private final MediaPlacement placement;
    private final MediaNodeClient media;
    private final ParticipantDirectory directory;
    private final SignalingMetrics metrics;

    /** Issues the resume token of a participant on a node (Resumption#tokenFor). */
    interface TokenIssuer {
        String tokenFor(Participant p, String nodeId);
    }

    private final TokenIssuer tokens;

    MediaMover(MediaPlacement placement, MediaNodeClient media, ParticipantDirectory directory, SignalingMetrics metrics,
               TokenIssuer tokens) {
        this.tokens = tokens;
        this.placement = placement;
        this.media = media;
        this.directory = directory;
        this.metrics = metrics;
    }

    /** Why a participant moves. */
    enum Reason {
        /** Its node is gone (member left, record missing or stale): any other node will do. */
        LOST,
        /** Its node drains: another node, then the old endpoint is released. */
        DRAINING,
        /** Its node restarted under the same id: the same node id will do (the endpoint is gone there). */
        RESTARTED
    }

    /** Moves every participant held here whose media is on {@code nodeId}. */
    void moveOff(String nodeId, Reason reason) {
        for (Participant p : directory.all()) {
            if (nodeId.equals(p.nodeId)) {
                move(p, nodeId, reason);
            }
        }
    }

    void move(Participant p, String from, Reason reason) {
        if (p.moving || !from.equals(p.nodeId)) {
            return;
        }
        p.moving = true;
        // A restarted node may take its participants back, allocated afresh; otherwise never the node left.
        Set<String> avoid = new HashSet<>();
        if (reason != Reason.RESTARTED) {
            avoid.add(from);
        }
        attempt(p, from, reason, avoid, 1);
    }

    /** One try: place, switch the participant, allocate; a full node is avoided on the next try at once. */
    private void attempt(Participant p, String from, Reason reason, Set<String> avoid, int attempt) {
        placement.node(p.roomKey, placement.regionFor(p.region), avoid).onComplete(placed -> {
            if (directory.find(p.id) != p || !from.equals(p.nodeId)) {
                p.moving = false;
                return;
            }
            if (placed.failed() || (reason != Reason.RESTARTED && placed.result().equals(from))) {
                // No other node now (or the registry still shows the old one): the next look tries again.
                p.moving = false;
                return;
            }
            String to = placed.result();
            String fromIncarnation = p.nodeIncarnation;
            String fromToken = p.token;
            p.moveTo(to, tokens.tokenFor(p, to));
            media.allocate(to, p.roomKey, p.id).onComplete(allocated -> {
                if (directory.find(p.id) != p) {
                    p.moving = false;
                    media.release(to, p.id); // the participant left meanwhile
                    return;
                }
                if (allocated.failed()) {
                    media.release(to, p.id); // in case the allocation went through late
                    p.moveBack(from, fromIncarnation, fromToken);
                    if (allocated.cause() instanceof MediaNodeClient.NodeFull && attempt < MediaPlacement.ATTEMPTS) {
                        avoid.add(to);
                        attempt(p, from, reason, avoid, attempt + 1);
                        return;
                    }
                    p.moving = false;
                    LOG.log(System.Logger.Level.WARNING, "participant {0} could not be moved to node {1}; trying again",
                            p.id, to);
                    return;
                }
                p.moving = false;
                placement.linkUp(p.roomKey, to);
                metrics.mediaMoved();
                LOG.log(System.Logger.Level.INFO, "participant {0} moved from media node {1} to {2}{3}",
                        p.id, from, to, reason == Reason.DRAINING ? " (drain)" : "");
                if (reason != Reason.RESTARTED) {
                    // A draining node frees the endpoint; so does a node taken for dead from a late heartbeat
                    // that was only slow (else it would hold the slot for good). A dead node answers no one.
                    media.release(from, p.id);
                }
            });
        });
    }
}
