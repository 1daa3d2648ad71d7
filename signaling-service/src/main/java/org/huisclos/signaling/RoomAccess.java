package org.huisclos.signaling;

import java.util.Optional;

/**
 * Where a room's access settings live: its moderator (a pseudonymous participant id), its password
 * as an encoded Argon2id hash ({@link Passwords}), and whether its lobby is on. The launcher keeps
 * them in the room registry (the room's record, changed by entry processors), so that every
 * signaling instance sees the same; {@link #inMemory()} serves tests and a signaling server on its
 * own. Every change is atomic and, but for {@link #claimModerator}, allowed only to the current
 * moderator. Methods may block: call them off the event loop.
 */
public interface RoomAccess {
    /** A room's settings; {@link #OPEN} for a room that has none (or no participant). */
    record State(String moderator, String passwordHash, boolean lobby) {
        public static final State OPEN = new State(null, null, false);

        /** Never prints the hash. */
        @Override
        public String toString() {
            return "State[moderated=" + (moderator != null) + ", password=" + (passwordHash != null)
                    + ", lobby=" + lobby + "]";
        }
    }

    State state(String roomKey);

    /** Whether the room exists now (someone is in it, or was placed in it); only sign-in asks. */
    boolean exists(String roomKey);

    /** Makes {@code participant} the moderator if the room has none; the state after. */
    State claimModerator(String roomKey, String participant);

    /** Moderation passes from {@code current} to {@code next} (null: nobody), only if {@code current} has it. */
    boolean replaceModerator(String roomKey, String current, String next);

    /** Sets the password hash (null: no password); empty when {@code moderator} does not moderate the room. */
    Optional<State> setPasswordHash(String roomKey, String moderator, String hash);

    /** Turns the lobby on or off; empty when {@code moderator} does not moderate the room. */
    Optional<State> setLobby(String roomKey, String moderator, boolean on);

    /** Settings in this JVM only (one signaling server, or several sharing the instance in tests). */
    static RoomAccess inMemory() {
        return new InMemoryRoomAccess();
    }
}
