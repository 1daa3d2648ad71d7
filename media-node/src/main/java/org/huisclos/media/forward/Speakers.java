package org.huisclos.media.forward;

import java.util.Map;

/**
 * Who holds the floor in each room of the node (control thread): every tick, each room's
 * {@link org.huisclos.media.speech.SpeakerDetector} takes in the levels the I/O thread gave it, and a
 * change of dominant speaker goes to everyone in the room on this node through a {@link SpeakerSink}.
 */
public final class Speakers {
    /** Where the node tells a room's participants on this node who holds the floor. */
    public interface SpeakerSink {
        void speaker(Endpoint to, String participantId);
    }

    private final Map<String, Room> rooms;
    private SpeakerSink speakerSink = (to, participantId) -> { };

    Speakers(Map<String, Room> rooms) {
        this.rooms = rooms;
    }

    /** Tells participants who holds the floor in their room: {@link #tickSpeakers} sends changes to it. */
    public void onSpeaker(SpeakerSink sink) {
        this.speakerSink = sink;
    }

    /**
     * Every ~250 ms: each room's detector takes in the levels since the last tick; when the dominant
     * speaker changed, everyone in the room on this node is told (the speaker included).
     */
    public void tickSpeakers(long nowMillis) {
        for (Room room : rooms.values()) {
            org.huisclos.media.speech.SpeakerDetector detector = room.speakers;
            detector.tick(nowMillis);
            Endpoint dominant = room.speakerAt(detector.dominant());
            if (dominant != null && dominant != room.announcedSpeaker) {
                room.announcedSpeaker = dominant;
                for (Endpoint e : room.endpoints) {
                    speakerSink.speaker(e, dominant.participantId);
                }
            }
        }
    }
}
