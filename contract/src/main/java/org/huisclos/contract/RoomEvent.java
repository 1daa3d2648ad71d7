package org.huisclos.contract;

/**
 * Events published to {@link Addresses#room(String)}. Every signaling instance with a
 * participant in the room consumes them and passes them to that participant's browser.
 */
public final class RoomEvent {
    private RoomEvent() {
    }

    public static final String TYPE = "type";

    /**
     * {@code {type:"participant", participant, name, audio, video}}: someone joined, or changed
     * its mute state. On a join, every other participant's instance answers the newcomer with its
     * own {@link ParticipantMessage#PARTICIPANT} entry, so that rosters need no shared state.
     */
    public static final String PARTICIPANT = "participant";
    /** Set on a {@link #PARTICIPANT} event when it announces a newcomer rather than a change. */
    public static final String JOINED = "joined";
    /**
     * Set on a {@link #PARTICIPANT} event when another signaling instance took the participant over
     * (a resume there): the others update their entry (no new tile) and, as for {@link #JOINED}, send
     * their own {@link ParticipantMessage#PARTICIPANT} entry to it so that its new instance learns the roster.
     */
    public static final String RESUMED = "resumed";
    /** {@code {type:"left", participant}}. */
    public static final String LEFT = "left";
}
