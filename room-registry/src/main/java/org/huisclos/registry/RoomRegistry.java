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
        return place(roomKey).nodeId();
    }

    /** What {@link #place} did: found the room's live node, placed it on a node, or found no node. */
    public enum Outcome { EXISTING, PLACED, NONE }

    /** The room's node (empty when none can take it) and how it was found, for metrics. */
    public record Placement(Optional<String> nodeId, Outcome outcome) {
        static Placement existing(String nodeId) {
            return new Placement(Optional.of(nodeId), Outcome.EXISTING);
        }

        static Placement placed(String nodeId) {
            return new Placement(Optional.of(nodeId), Outcome.PLACED);
        }
    }

    /**
     * {@link #placeRoom}, telling also whether the room already had a live node ({@code EXISTING},
     * also when a concurrent caller placed it first), was placed now ({@code PLACED}), or could not
     * be placed ({@code NONE}).
     */
    public Placement place(String roomKey) {
        long now = System.currentTimeMillis();
        RoomRecord existing = rooms.get(roomKey);
        boolean existingAlive = false;
        if (existing != null) {
            NodeRecord node = nodes.get(existing.nodeId());
            existingAlive = node != null && node.alive(now);
            if (existingAlive && node.state() == NodeState.SERVING) {
                return Placement.existing(existing.nodeId());
            }
        }
        Optional<NodeRecord> chosen = selector.select(nodes.values(), now);
        if (chosen.isEmpty()) {
            // A draining node keeps its room while no other node can take it.
            return existingAlive ? Placement.existing(existing.nodeId()) : new Placement(Optional.empty(), Outcome.NONE);
        }
        if (existing == null) {
            RoomRecord placed = new RoomRecord(chosen.get().nodeId(), now);
            RoomRecord raced = rooms.putIfAbsent(roomKey, placed);
            return raced == null ? Placement.placed(placed.nodeId()) : Placement.existing(raced.nodeId());
        }
        // Replace the dead placement only if nobody replaced it first; access settings go along.
        RoomRecord placed = existing.onNode(chosen.get().nodeId(), now);
        if (rooms.replace(roomKey, existing, placed)) {
            return Placement.placed(placed.nodeId());
        }
        RoomRecord now2 = rooms.get(roomKey);
        return now2 == null ? Placement.placed(placed.nodeId()) : Placement.existing(now2.nodeId());
    }

    /** The room's last participant left its node: the room and its access settings are forgotten. */
    public void roomClosed(String roomKey, String nodeId) {
        rooms.executeOnKey(roomKey, new RoomCloser(nodeId));
    }

    /** Removes a room if it is still placed on the node (atomic, whatever its access settings are now). */
    private record RoomCloser(String nodeId) implements com.hazelcast.map.EntryProcessor<String, RoomRecord, Boolean> {
        @Override
        public Boolean process(java.util.Map.Entry<String, RoomRecord> entry) {
            RoomRecord r = entry.getValue();
            if (r != null && r.nodeId().equals(nodeId)) {
                entry.setValue(null);
                return true;
            }
            return false;
        }
    }

    // Access settings (moderator, password hash, lobby): atomic, on the partition owning the room.

    /** The room's record, or empty when the room has no participant (not placed). */
    public Optional<RoomRecord> access(String roomKey) {
        return Optional.ofNullable(rooms.get(roomKey));
    }

    /** Makes {@code participant} the moderator if the room has none; the record after (empty: no such room). */
    public Optional<RoomRecord> claimModerator(String roomKey, String participant) {
        return run(roomKey, RoomAccessProcessor.Kind.CLAIM, participant, null, false);
    }

    /** Moderation passes from {@code current} to {@code next} (null: nobody), only if {@code current} has it. */
    public Optional<RoomRecord> replaceModerator(String roomKey, String current, String next) {
        return run(roomKey, RoomAccessProcessor.Kind.REPLACE_MODERATOR, current, next, false);
    }

    /** Sets (null: removes) the password hash, only if {@code moderator} moderates the room. */
    public Optional<RoomRecord> setPasswordHash(String roomKey, String moderator, String hash) {
        return run(roomKey, RoomAccessProcessor.Kind.SET_PASSWORD, moderator, hash, false);
    }

    /** Turns the lobby on or off, only if {@code moderator} moderates the room (null: the server itself). */
    public Optional<RoomRecord> setLobby(String roomKey, String moderator, boolean on) {
        return run(roomKey, RoomAccessProcessor.Kind.SET_LOBBY, moderator, null, on);
    }

    private Optional<RoomRecord> run(String roomKey, RoomAccessProcessor.Kind kind, String participant, String value,
                                     boolean flag) {
        return Optional.ofNullable(rooms.executeOnKey(roomKey, new RoomAccessProcessor(kind, participant, value, flag)));
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
                roomClosed(entry.getKey(), nodeId);
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
