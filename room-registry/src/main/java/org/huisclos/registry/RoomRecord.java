package org.huisclos.registry;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A room in the registry, under its room key (never its name): the media nodes it has participants
 * on, in the order they joined the room, and its access settings. A room stays on one node while
 * that node has room; a room that outgrows it, or whose participants are in several regions, spans
 * several nodes joined by relay links (docs/cluster-protocol.md). {@code moderator} is the
 * pseudonymous id of the participant who moderates (null: nobody yet); {@code passwordHash} is the
 * room password as an encoded Argon2id hash (null: no password; never the password itself);
 * {@code lobby} says newcomers wait to be admitted.
 */
public record RoomRecord(List<String> nodes, long createdMillis, String moderator, String passwordHash, boolean lobby)
        implements Serializable {

    public RoomRecord {
        nodes = List.copyOf(nodes);
    }

    public RoomRecord(String nodeId, long createdMillis) {
        this(List.of(nodeId), createdMillis, null, null, false);
    }

    /** The same room on another set of nodes: its access settings go along. */
    public RoomRecord withNodes(List<String> newNodes) {
        return new RoomRecord(newNodes, createdMillis, moderator, passwordHash, lobby);
    }

    /** The room without {@code gone}; its access settings stay. */
    public RoomRecord without(Collection<String> gone) {
        List<String> left = new ArrayList<>(nodes);
        left.removeAll(gone);
        return withNodes(left);
    }

    public boolean spans(String nodeId) {
        return nodes.contains(nodeId);
    }

    public RoomRecord withModerator(String participant) {
        return new RoomRecord(nodes, createdMillis, participant, passwordHash, lobby);
    }

    public RoomRecord withPasswordHash(String hash) {
        return new RoomRecord(nodes, createdMillis, moderator, hash, lobby);
    }

    public RoomRecord withLobby(boolean on) {
        return new RoomRecord(nodes, createdMillis, moderator, passwordHash, on);
    }

    /** Never prints the hash, so that a record in a log shows nothing worth guessing against. */
    @Override
    public String toString() {
        return "RoomRecord[nodes=" + nodes + ", moderated=" + (moderator != null) + ", password="
                + (passwordHash != null) + ", lobby=" + lobby + "]";
    }
}
