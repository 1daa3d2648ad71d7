package org.huisclos.registry;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import java.util.Optional;

/**
 * The cluster's state in two Hazelcast maps: {@code huisclos-rooms} (room key → {@link RoomRecord})
 * and {@code huisclos-nodes} (node id → {@link NodeRecord}). Both keep one synchronous backup.
 * Calls block on Hazelcast: call them off event loops.
 *
 * <p>On a network partition each side keeps serving the rooms it knows; a room placed on both
 * sides meanwhile is merged by Hazelcast's default policy (the later entry wins) when the
 * partition heals, and its participants on the losing node move on their next join.
 */
public final class RoomRegistry {
    public static final String ROOMS = "huisclos-rooms";
    public static final String NODES = "huisclos-nodes";

    private final IMap<String, RoomRecord> rooms;
    private final IMap<String, NodeRecord> nodes;
    private final NodeSelector selector;

    public RoomRegistry(HazelcastInstance hazelcast, NodeSelector selector) {
        this.rooms = hazelcast.getMap(ROOMS);
        this.nodes = hazelcast.getMap(NODES);
        this.selector = selector;
    }

    /**
     * The node that hosts the room, placing the room first if it has none or its node is gone.
     * Concurrent callers for one room get the same node: the first placement wins.
     */
    public Optional<String> placeRoom(String roomKey) {
        long now = System.currentTimeMillis();
        RoomRecord existing = rooms.get(roomKey);
        if (existing != null) {
            NodeRecord node = nodes.get(existing.nodeId());
            if (node != null && node.alive(now)) {
                return Optional.of(existing.nodeId());
            }
        }
        Optional<NodeRecord> chosen = selector.select(nodes.values(), now);
        if (chosen.isEmpty()) {
            return Optional.empty();
        }
        RoomRecord placed = new RoomRecord(chosen.get().nodeId(), now);
        if (existing == null) {
            RoomRecord raced = rooms.putIfAbsent(roomKey, placed);
            return Optional.of(raced == null ? placed.nodeId() : raced.nodeId());
        }
        // Replace the dead placement only if nobody replaced it first.
        if (rooms.replace(roomKey, existing, placed)) {
            return Optional.of(placed.nodeId());
        }
        RoomRecord now2 = rooms.get(roomKey);
        return Optional.of(now2 == null ? placed.nodeId() : now2.nodeId());
    }

    /** The room's last participant left its node. */
    public void roomClosed(String roomKey, String nodeId) {
        RoomRecord r = rooms.get(roomKey);
        if (r != null && r.nodeId().equals(nodeId)) {
            rooms.remove(roomKey, r);
        }
    }

    public void heartbeat(NodeRecord node) {
        nodes.set(node.nodeId(), node);
    }

    public void removeNode(String nodeId) {
        nodes.delete(nodeId);
    }

    public Optional<RoomRecord> room(String roomKey) {
        return Optional.ofNullable(rooms.get(roomKey));
    }

    public int roomCount() {
        return rooms.size();
    }
}
