package org.huisclos.registry;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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
     * The node for a new participant of the room, with no region preference and no node to avoid:
     * see {@link #place(String, String, Set)}.
     */
    public Optional<String> placeRoom(String roomKey) {
        return place(roomKey).nodeId();
    }

    /**
     * What {@link #place} did: found a node the room was on already ({@code EXISTING}), placed a new
     * room ({@code PLACED}, also a room whose nodes all died), added a node to a room that was on
     * other nodes ({@code ADDED}: the room spans one more node), or found no node ({@code NONE}).
     */
    public enum Outcome { EXISTING, PLACED, ADDED, NONE }

    /** The participant's node (empty when none can take it) and how it was found, for metrics. */
    public record Placement(Optional<String> nodeId, Outcome outcome) {
        static final Placement NO_NODE = new Placement(Optional.empty(), Outcome.NONE);
    }

    public Placement place(String roomKey) {
        return place(roomKey, "", Set.of());
    }

    /**
     * Chooses the media node for a participant joining the room (or moved off a node), and records
     * that the room spans it. The rules, in order (docs/cluster-protocol.md, "Placement"):
     * <ol>
     * <li>With a {@code region}: a node of the room in that region with room to spare; else a new
     * node of that region with room (the room then spans it too).
     * <li>A node of the room with room to spare, the one that joined the room last first (so a room
     * stays on one node while it fits, and one that moved stays where it moved).
     * <li>The least-loaded SERVING node with room, added to the room.
     * <li>A live node of the room that takes no new participants (DRAINING) keeps them while no other
     * node can.
     * </ol>
     * Nodes in {@code avoid} (they refused as full, or the participant is being moved off them) are
     * never chosen. Dead nodes (no record, or silent) leave the room's set on the way. Concurrent
     * callers never lose one another's nodes: the set changes by compare-and-set, and a caller that
     * lost decides again on the new set, so concurrent first joins of a room agree on one node.
     */
    public Placement place(String roomKey, String region, Set<String> avoid) {
        for (int attempt = 0; attempt < 16; attempt++) {
            long now = System.currentTimeMillis();
            Map<String, NodeRecord> byId = new HashMap<>();
            for (NodeRecord n : nodes.values()) {
                byId.put(n.nodeId(), n);
            }
            RoomRecord room = rooms.get(roomKey);
            List<String> current = room == null ? List.of() : room.nodes();
            List<String> live = new ArrayList<>();
            for (String id : current) {
                NodeRecord n = byId.get(id);
                if (n != null && n.alive(now)) {
                    live.add(id);
                }
            }
            String chosen = choose(live, byId, region == null ? "" : region, avoid, now);
            if (chosen == null) {
                return Placement.NO_NODE;
            }
            boolean added = !live.contains(chosen);
            List<String> next = new ArrayList<>(live);
            if (added) {
                next.add(chosen);
            }
            if (next.equals(current)) {
                return new Placement(Optional.of(chosen), Outcome.EXISTING);
            }
            RoomRecord after = rooms.executeOnKey(roomKey, RoomNodesProcessor.swap(current, next, now));
            if (after != null && after.nodes().equals(next)) {
                Outcome outcome = !added ? Outcome.EXISTING : live.isEmpty() ? Outcome.PLACED : Outcome.ADDED;
                return new Placement(Optional.of(chosen), outcome);
            }
            // Another caller changed the room's nodes meanwhile: decide again on what it did.
        }
        return Placement.NO_NODE;
    }

    private String choose(List<String> live, Map<String, NodeRecord> byId, String region, Set<String> avoid,
                          long now) {
        List<NodeRecord> roomNodes = new ArrayList<>();
        for (int i = live.size() - 1; i >= 0; i--) {
            NodeRecord n = byId.get(live.get(i));
            if (!avoid.contains(n.nodeId())) {
                roomNodes.add(n);
            }
        }
        List<NodeRecord> others = new ArrayList<>();
        for (NodeRecord n : byId.values()) {
            if (!avoid.contains(n.nodeId()) && !live.contains(n.nodeId())) {
                others.add(n);
            }
        }
        if (!region.isEmpty()) {
            for (NodeRecord n : roomNodes) {
                if (region.equals(n.region()) && n.acceptsRooms(now)) {
                    return n.nodeId();
                }
            }
            Optional<NodeRecord> regional = selector.select(
                    others.stream().filter(n -> region.equals(n.region())).toList(), now);
            if (regional.isPresent()) {
                return regional.get().nodeId();
            }
        }
        for (NodeRecord n : roomNodes) {
            if (n.acceptsRooms(now)) {
                return n.nodeId();
            }
        }
        Optional<NodeRecord> any = selector.select(others, now);
        if (any.isPresent()) {
            return any.get().nodeId();
        }
        // A draining node keeps its participants while no other node can take them.
        for (NodeRecord n : roomNodes) {
            if (n.participants() < n.capacity()) {
                return n.nodeId();
            }
        }
        return null;
    }

    /**
     * A participant of the room was allocated on {@code nodeId}: the room spans that node (added if
     * the node's previous last participant of the room left in between and took it off the list).
     * Returns the live nodes the room spans now, {@code nodeId} among them.
     */
    public List<String> joined(String roomKey, String nodeId) {
        for (int attempt = 0; attempt < 16; attempt++) {
            RoomRecord room = rooms.get(roomKey);
            List<String> current = room == null ? List.of() : room.nodes();
            if (current.contains(nodeId)) {
                break;
            }
            List<String> next = new ArrayList<>(current);
            next.add(nodeId);
            RoomRecord after = rooms.executeOnKey(roomKey,
                    RoomNodesProcessor.swap(current, next, System.currentTimeMillis()));
            if (after != null && after.nodes().equals(next)) {
                break;
            }
        }
        return roomNodes(roomKey);
    }

    /** The live nodes the room spans now (empty when it has none). */
    public List<String> roomNodes(String roomKey) {
        RoomRecord room = rooms.get(roomKey);
        if (room == null) {
            return List.of();
        }
        long now = System.currentTimeMillis();
        List<String> live = new ArrayList<>();
        for (String id : room.nodes()) {
            NodeRecord n = nodes.get(id);
            if (n != null && n.alive(now)) {
                live.add(id);
            }
        }
        return live;
    }

    /**
     * The room's last participant on {@code nodeId} left: the room no longer spans that node. When
     * no node is left, the room and its access settings are forgotten.
     */
    public void roomClosed(String roomKey, String nodeId) {
        rooms.executeOnKey(roomKey, RoomNodesProcessor.remove(nodeId));
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
            if (entry.getValue().spans(nodeId)) {
                roomClosed(entry.getKey(), nodeId);
            }
        }
    }

    /**
     * The Hazelcast member {@code memberUuid} left the cluster: the media nodes it ran are gone at
     * once, without waiting for their heartbeats to go stale. Returns their ids.
     */
    public List<String> removeNodesOfMember(String memberUuid) {
        List<String> gone = new ArrayList<>();
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
