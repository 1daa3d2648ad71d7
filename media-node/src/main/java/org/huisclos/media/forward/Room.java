package org.huisclos.media.forward;

import java.util.ArrayList;
import java.util.List;
import org.huisclos.media.speech.SpeakerDetector;

/**
 * The endpoints of one room on this node, and who holds the floor among its participants. Changed on
 * the control thread only (the I/O thread reads {@link #speakers} and each endpoint's speaker index).
 */
public final class Room {
    /** Speaker indices are handed out in blocks: a detector for 8, then 32, then 128 participants at most. */
    private static final int[] SPEAKER_CAPACITIES = {8, 32, 128};

    public final String key;
    final List<Endpoint> endpoints = new ArrayList<>();
    /** Relay links to other media nodes that host this room too (org.huisclos.media.relay): not participants. */
    final List<Endpoint> links = new ArrayList<>();
    /** The dominant speaker detector, fed by the I/O thread; replaced (starting afresh) when the room outgrows it. */
    volatile SpeakerDetector speakers = new SpeakerDetector(SPEAKER_CAPACITIES[0]);
    /** Which participant holds each speaker index (null: free). */
    private Endpoint[] speakerSlots = new Endpoint[SPEAKER_CAPACITIES[0]];
    /** The dominant speaker last announced to the room, or null. */
    Endpoint announcedSpeaker;

    public Room(String key) {
        this.key = key;
    }

    public List<Endpoint> endpoints() {
        return endpoints;
    }

    public List<Endpoint> links() {
        return links;
    }

    /** Gives {@code e} a speaker index (the lowest free); beyond 128 participants it gets none (-1). */
    void assignSpeakerIndex(Endpoint e) {
        for (int i = 0; i < speakerSlots.length; i++) {
            if (speakerSlots[i] == null) {
                speakerSlots[i] = e;
                e.speakerIndex = i;
                return;
            }
        }
        for (int capacity : SPEAKER_CAPACITIES) {
            if (capacity > speakerSlots.length) {
                int i = speakerSlots.length;
                speakerSlots = java.util.Arrays.copyOf(speakerSlots, capacity);
                speakers = new SpeakerDetector(capacity);
                speakerSlots[i] = e;
                e.speakerIndex = i;
                return;
            }
        }
        e.speakerIndex = -1;
    }

    /** {@code e} left: its index is free again, and the detector forgets it. */
    void freeSpeakerIndex(Endpoint e) {
        int i = e.speakerIndex;
        e.speakerIndex = -1;
        if (i >= 0 && i < speakerSlots.length && speakerSlots[i] == e) {
            speakerSlots[i] = null;
            speakers.remove(i);
        }
        if (announcedSpeaker == e) {
            announcedSpeaker = null;
        }
    }

    /** The participant with speaker index {@code i}, or null. */
    Endpoint speakerAt(int i) {
        return i >= 0 && i < speakerSlots.length ? speakerSlots[i] : null;
    }
}
