package org.huisclos.launcher.signaling;

import java.util.Optional;
import org.huisclos.registry.RoomRecord;
import org.huisclos.registry.RoomRegistry;
import org.huisclos.signaling.RoomAccess;

/**
 * Rooms' access settings in the room registry (the room's record, changed by entry processors), so
 * that every signaling instance of the cluster sees one moderator, one password hash and one lobby
 * state per room. A room not placed (no participant) has none.
 */
public final class RegistryRoomAccess implements RoomAccess {
    private final RoomRegistry registry;

    public RegistryRoomAccess(RoomRegistry registry) {
        this.registry = registry;
    }

    private static State of(RoomRecord r) {
        return new State(r.moderator(), r.passwordHash(), r.lobby());
    }

    @Override
    public State state(String roomKey) {
        return registry.access(roomKey).map(RegistryRoomAccess::of).orElse(State.OPEN);
    }

    @Override
    public boolean exists(String roomKey) {
        return registry.access(roomKey).isPresent();
    }

    @Override
    public State claimModerator(String roomKey, String participant) {
        return registry.claimModerator(roomKey, participant).map(RegistryRoomAccess::of).orElse(State.OPEN);
    }

    @Override
    public boolean replaceModerator(String roomKey, String current, String next) {
        return registry.replaceModerator(roomKey, current, next).isPresent();
    }

    @Override
    public Optional<State> setPasswordHash(String roomKey, String moderator, String hash) {
        return registry.setPasswordHash(roomKey, moderator, hash).map(RegistryRoomAccess::of);
    }

    @Override
    public Optional<State> setLobby(String roomKey, String moderator, boolean on) {
        return registry.setLobby(roomKey, moderator, on).map(RegistryRoomAccess::of);
    }
}
