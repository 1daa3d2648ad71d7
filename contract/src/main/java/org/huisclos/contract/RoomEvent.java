package org.huisclos.contract;

/**
 * Events published to {@link Addresses#room(String)}, decoded. Every signaling instance with a
 * participant in the room (or a client waiting in its lobby) consumes them; {@link SignalingCodec}
 * writes and reads them. The constants are their types and field names.
 */
public sealed interface RoomEvent permits RoomEvent.Entry, RoomEvent.Left, RoomEvent.Moderator, RoomEvent.Settings {
    String TYPE = "type";

    /**
     * {@code {type:"participant", participant, name, audio, video}}: someone joined, or changed its
     * mute state. On a join, every other participant's instance answers the newcomer with its own
     * entry at {@link Addresses#participant(String)}, so that rosters need no shared state.
     */
    String PARTICIPANT = "participant";
    /** Set (true) on a {@link #PARTICIPANT} event when it announces a newcomer rather than a change. */
    String JOINED = "joined";
    /**
     * Set (true) on a {@link #PARTICIPANT} event when another signaling instance took the participant
     * over (a resume there): the others update their entry (no new tile) and, as for {@link #JOINED},
     * send their own entry to it so that its new instance learns the roster.
     */
    String RESUMED = "resumed";
    /** {@code {type:"left", participant}}. */
    String LEFT = "left";
    /** {@code {type:"moderator", participant}}: the room's moderator now (participant null: none). */
    String MODERATOR = "moderator";
    /** {@code {type:"room-settings", lobby, password}}: whether the lobby is on and a password is set (never which). */
    String ROOM_SETTINGS = "room-settings";

    String NAME = "name";
    String AUDIO = "audio";
    String VIDEO = "video";
    String LOBBY = "lobby";
    String PASSWORD = "password";

    /** Why an entry is announced. */
    enum Arrival { CHANGE, JOINED, RESUMED }

    /**
     * A participant as the room knows it: display name and mute state. Published as a room event,
     * and sent to a newcomer's address as a roster entry ({@link ParticipantMessage}).
     */
    record Entry(String participant, String name, boolean audio, boolean video, Arrival arrival)
            implements RoomEvent, ParticipantMessage {
        /** The same entry, announced for another reason. */
        public Entry as(Arrival why) {
            return new Entry(participant, name, audio, video, why);
        }
    }

    record Left(String participant) implements RoomEvent {
    }

    /** {@code participant} null: the room has no moderator. */
    record Moderator(String participant) implements RoomEvent {
    }

    record Settings(boolean lobby, boolean password) implements RoomEvent {
    }
}
