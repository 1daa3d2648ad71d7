package org.huisclos.signaling;

/**
 * Moves participants off a media node that died or drains: the room is placed again (the
 * registry replaces a dead or draining placement, and concurrent re-placements from several
 * signaling instances agree), the participant is allocated on the new node under the same id,
 * the browser is told {@code media-moved} before the new node's first offer, and, when the old
 * node drains, its endpoint there is released. A failed move is tried again on the watcher's
 * next look. Confined to the signaling server's event loop.
 */
final class MediaMover {
    private static final System.Logger LOG = System.getLogger(MediaMover.class.getName());

    private final MediaNodeLocator locator;
    private final MediaNodeClient media;
    private final ParticipantDirectory directory;
    private final SignalingMetrics metrics;

    /** Issues the resume token of a participant on a node (Resumption#tokenFor). */
    interface TokenIssuer {
        String tokenFor(String participantId, String roomKey, String nodeId);
    }

    private final TokenIssuer tokens;

    MediaMover(MediaNodeLocator locator, MediaNodeClient media, ParticipantDirectory directory, SignalingMetrics metrics,
               TokenIssuer tokens) {
        this.tokens = tokens;
        this.locator = locator;
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
        boolean draining = reason == Reason.DRAINING;
        if (p.moving || !from.equals(p.nodeId)) {
            return;
        }
        p.moving = true;
        locator.nodeFor(p.roomKey).onComplete(placed -> {
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
            p.moveTo(to, tokens.tokenFor(p.id, p.roomKey, to));
            media.allocate(to, p.roomKey, p.id).onComplete(allocated -> {
                p.moving = false;
                if (directory.find(p.id) != p) {
                    media.release(to, p.id); // the participant left meanwhile
                    return;
                }
                if (allocated.failed()) {
                    LOG.log(System.Logger.Level.WARNING, "participant {0} could not be moved to node {1}; trying again",
                            p.id, to);
                    media.release(to, p.id); // in case the allocation went through late
                    p.moveBack(from, fromIncarnation, fromToken);
                    return;
                }
                metrics.mediaMoved();
                LOG.log(System.Logger.Level.INFO, "participant {0} moved from media node {1} to {2}{3}",
                        p.id, from, to, draining ? " (drain)" : "");
                if (draining) {
                    media.release(from, p.id);
                }
            });
        });
    }
}
