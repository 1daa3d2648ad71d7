package org.huisclos.contract;

/**
 * A participant handed to another signaling instance by one that stops, at
 * {@link Addresses#signalingHandoff()} (a request; ok, or 400/404): its id, resume token, room key,
 * display name and mute state. {@link SignalingCodec} writes and reads it.
 */
public record Handoff(String participant, String token, String room, String name, boolean audio, boolean video) {
    public static final String PARTICIPANT = "participant";
    public static final String TOKEN = "token";
    public static final String ROOM = "room";
}
