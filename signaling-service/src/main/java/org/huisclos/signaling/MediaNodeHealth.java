package org.huisclos.signaling;

import java.util.Optional;

/**
 * What signaling needs to know about a media node to move its participants when it dies or
 * drains. The launcher implements it over the room registry, so that signaling does not depend
 * on Hazelcast. {@link #status} may block: it is only called off the event loop.
 */
@FunctionalInterface
public interface MediaNodeHealth {
    /**
     * @param alive       the node heartbeats (its record is fresh)
     * @param draining    the node is DRAINING: its participants are to be moved
     * @param incarnation changes when a node restarts with the same id (its cluster member id)
     */
    record NodeStatus(boolean alive, boolean draining, String incarnation) {
    }

    /** The node's status; empty when the registry does not know the node (it stopped or died). */
    Optional<NodeStatus> status(String nodeId);
}
