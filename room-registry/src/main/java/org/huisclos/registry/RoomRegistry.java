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
     * The node that hosts the room, placing the room first if it has none, its node is gone, or
     * its node is DRAINING (then the room moves, unless no other node can take it). Concurrent
     * callers for one room get the same node: the first placement wins.
     */
    public Optional<String> placeRoom(String roomKey) {
        long now = System.currentTimeMillis();
        RoomRecord existing = rooms.get(roomKey);
        boolean existingAlive = false;
        if (existing != null) {
            NodeRecord node = nodes.get(existing.nodeId());
            existingAlive = node != null && node.alive(now);
            if (existingAlive && node.state() == NodeState.SERVING) {
                return Optional.of(existing.nodeId());
            }
        }
        Optional<NodeRecord> chosen = selector.select(nodes.values(), now);
        if (chosen.isEmpty()) {
            // A draining node keeps its room while no other node can take it.
            return existingAlive ? Optional.of(existing.nodeId()) : Optional.empty();
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

    /**
     * A media node (re)starts with no participants: rooms still placed on it from an earlier life
     * would split from where their participants moved, so they are forgotten.
     */
    public void forgetRoomsOf(String nodeId) {
        for (var entry : rooms.entrySet()) {
            if (entry.getValue().nodeId().equals(nodeId)) {
                rooms.remove(entry.getKey(), entry.getValue());
            }
        }
    }

    /**
     * The Hazelcast member {@code memberUuid} left the cluster: the media nodes it ran are gone at
     * once, without waiting for their heartbeats to go stale. Returns their ids.
     */
    public java.util.List<String> removeNodesOfMember(String memberUuid) {
        java.util.List<String> gone = new java.util.ArrayList<>();
        for (NodeRecord n : nodes.values()) {
            if (memberUuid.equals(n.memberUuid())) {
                nodes.delete(n.nodeId());
                gone.add(n.nodeId());
            }
        }
        return gone;
    }

    public Optional<NodeRecord> node(String nodeId) {
        return Optional.ofNullable(nodes.get(nodeId));
    }

    /** Whether a media node can still serve its rooms: known and heard from recently. */
    public boolean nodeAlive(String nodeId) {
        NodeRecord n = nodes.get(nodeId);
        return n != null && n.alive(System.currentTimeMillis());
    }

    public java.util.Collection<NodeRecord> nodes() {
        return nodes.values();
    }

    public Optional<RoomRecord> room(String roomKey) {
        return Optional.ofNullable(rooms.get(roomKey));
    }

    public int roomCount() {
        return rooms.size();
    }
}
