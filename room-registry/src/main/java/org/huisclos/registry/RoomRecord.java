package org.huisclos.registry;

import java.io.Serializable;

/**
 * A room in the registry, under its room key (never its name): the media node that hosts it, and
 * its access settings. {@code moderator} is the pseudonymous id of the participant who moderates
 * (null: nobody yet); {@code passwordHash} is the room password as an encoded Argon2id hash (null:
 * no password; never the password itself); {@code lobby} says newcomers wait to be admitted.
 */
public record RoomRecord(String nodeId, long createdMillis, String moderator, String passwordHash, boolean lobby)
        implements Serializable {

    public RoomRecord(String nodeId, long createdMillis) {
        this(nodeId, createdMillis, null, null, false);
    }

    /** The same room placed on another node: its access settings go along. */
    public RoomRecord onNode(String newNodeId, long now) {
        return new RoomRecord(newNodeId, now, moderator, passwordHash, lobby);
    }

    public RoomRecord withModerator(String participant) {
        return new RoomRecord(nodeId, createdMillis, participant, passwordHash, lobby);
    }

    public RoomRecord withPasswordHash(String hash) {
        return new RoomRecord(nodeId, createdMillis, moderator, hash, lobby);
    }

    public RoomRecord withLobby(boolean on) {
        return new RoomRecord(nodeId, createdMillis, moderator, passwordHash, on);
    }

    /** Never prints the hash, so that a record in a log shows nothing worth guessing against. */
    @Override
    public String toString() {
        return "RoomRecord[node=" + nodeId + ", moderated=" + (moderator != null) + ", password="
                + (passwordHash != null) + ", lobby=" + lobby + "]";
    }
}
