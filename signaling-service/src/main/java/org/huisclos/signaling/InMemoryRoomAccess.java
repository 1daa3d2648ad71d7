package org.huisclos.signaling;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** {@link RoomAccess} in one JVM's memory; a room's entry goes when its moderator leaves an empty room. */
final class InMemoryRoomAccess implements RoomAccess {
    private final ConcurrentHashMap<String, State> rooms = new ConcurrentHashMap<>();

    @Override
    public State state(String roomKey) {
        return rooms.getOrDefault(roomKey, State.OPEN);
    }

    @Override
    public boolean exists(String roomKey) {
        return rooms.containsKey(roomKey);
    }

    @Override
    public State claimModerator(String roomKey, String participant) {
        return rooms.compute(roomKey, (k, s) -> s == null ? new State(participant, null, false)
                : s.moderator() == null ? new State(participant, s.passwordHash(), s.lobby()) : s);
    }

    @Override
    public boolean replaceModerator(String roomKey, String current, String next) {
        boolean[] done = {false};
        rooms.computeIfPresent(roomKey, (k, s) -> {
            if (!Objects.equals(s.moderator(), current)) {
                return s;
            }
            done[0] = true;
            return next == null ? null : new State(next, s.passwordHash(), s.lobby()); // nobody left: forget the room
        });
        return done[0];
    }

    @Override
    public Optional<State> setPasswordHash(String roomKey, String moderator, String hash) {
        return change(roomKey, moderator, s -> new State(s.moderator(), hash, s.lobby()));
    }

    @Override
    public Optional<State> setLobby(String roomKey, String moderator, boolean on) {
        return change(roomKey, moderator, s -> new State(s.moderator(), s.passwordHash(), on));
    }

    private Optional<State> change(String roomKey, String moderator, java.util.function.UnaryOperator<State> how) {
        State[] after = {null};
        rooms.computeIfPresent(roomKey, (k, s) -> {
            if (moderator == null || !moderator.equals(s.moderator())) {
                return s;
            }
            after[0] = how.apply(s);
            return after[0];
        });
        return Optional.ofNullable(after[0]);
    }
}
