package org.huisclos.registry;

import java.io.Serializable;

/**
 * A media node as the registry knows it: where browsers reach it, how full it is, and when it
 * last said so. Written by the node's heartbeat, read by placement.
 */
public record NodeRecord(String nodeId, String publicAddress, int udpPort, String region, int capacity,
                         int participants, int streams, long packetsPerSecond, double cpuLoad, String memberUuid,
                         NodeState state, long heartbeatMillis)
        implements Serializable {

    /** A node silent for longer than this is not chosen (DESIGN.md: "a few seconds"). */
    public static final long STALE_AFTER_MILLIS = 3000;

    public boolean alive(long nowMillis) {
        return nowMillis - heartbeatMillis <= STALE_AFTER_MILLIS;
    }

    public boolean acceptsRooms(long nowMillis) {
        return state == NodeState.SERVING && alive(nowMillis) && participants < capacity;
    }

    /** Fraction of capacity in use, for least-loaded placement. */
    public double load() {
        return capacity <= 0 ? 1.0 : (double) participants / capacity;
    }
}
