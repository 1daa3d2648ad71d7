package org.huisclos.signaling;

import io.vertx.core.Vertx;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Notices that a media node used by this instance's participants is gone or draining, and has
 * the {@link MediaMover} move them. Told two ways: fast, by the launcher when a cluster member
 * leaves ({@link #nodesLost}, {@link #memberLeft}); and slow, by looking every
 * {@value #PERIOD_MS} ms at the registry's record of each node in use (stale or missing: gone;
 * DRAINING: to be moved; another incarnation than the participant was allocated on: gone).
 * Confined to the signaling server's event loop.
 */
final class NodeWatcher {
    static final long PERIOD_MS = 500;

    private final Vertx vertx;
    private final MediaNodeHealth health;
    private final ParticipantDirectory directory;
    private final MediaMover mover;
    private long timer = -1;
    private boolean checking;

    NodeWatcher(Vertx vertx, MediaNodeHealth health, ParticipantDirectory directory, MediaMover mover) {
        this.vertx = vertx;
        this.health = health;
        this.directory = directory;
        this.mover = mover;
    }

    /** Call on the signaling context: the periodic check runs there. */
    void start() {
        timer = vertx.setPeriodic(PERIOD_MS, id -> check());
    }

    void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
    }

    /** These nodes are gone (their member left the cluster): move their participants now. */
    void nodesLost(Collection<String> nodeIds) {
        for (String nodeId : nodeIds) {
            mover.moveOff(nodeId, MediaMover.Reason.LOST);
        }
    }

    /** The cluster member {@code incarnation} left: participants allocated on it move now. */
    void memberLeft(String incarnation) {
        for (Participant p : directory.all()) {
            if (incarnation.equals(p.nodeIncarnation)) {
                mover.move(p, p.nodeId, MediaMover.Reason.LOST);
            }
        }
    }

    private void check() {
        Set<String> inUse = directory.nodesInUse();
        if (checking || inUse.isEmpty()) {
            return;
        }
        checking = true;
        vertx.executeBlocking(() -> {
            Map<String, Optional<MediaNodeHealth.NodeStatus>> statuses = new HashMap<>();
            for (String nodeId : inUse) {
                statuses.put(nodeId, health.status(nodeId));
            }
            return statuses;
        }, false).onComplete(result -> {
            checking = false;
            if (result.succeeded()) {
                result.result().forEach(this::apply);
            }
        });
    }

    private void apply(String nodeId, Optional<MediaNodeHealth.NodeStatus> status) {
        if (status.isEmpty() || !status.get().alive()) {
            mover.moveOff(nodeId, MediaMover.Reason.LOST);
            return;
        }
        MediaNodeHealth.NodeStatus s = status.get();
        if (s.draining()) {
            mover.moveOff(nodeId, MediaMover.Reason.DRAINING);
            return;
        }
        for (Participant p : directory.all()) {
            if (!nodeId.equals(p.nodeId) || p.moving) {
                continue;
            }
            if (p.nodeIncarnation == null) {
                p.nodeIncarnation = s.incarnation();
            } else if (!p.nodeIncarnation.equals(s.incarnation())) {
                // The node restarted with the same id: it no longer has this participant's endpoint.
                mover.move(p, nodeId, MediaMover.Reason.RESTARTED);
            }
        }
    }
}
