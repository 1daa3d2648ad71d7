package org.huisclos.registry;

import com.hazelcast.map.EntryProcessor;
import java.util.Map;
import java.util.Objects;

/**
 * Atomic changes to a room's access settings (moderator, password hash, lobby), run by Hazelcast
 * on the partition that owns the room key, so that concurrent changes from several signaling
 * instances never lose one another. Returns the record after the change, or null when the change
 * was refused (no such room, or the caller is not the moderator) — then nothing changed.
 */
final class RoomAccessProcessor implements EntryProcessor<String, RoomRecord, RoomRecord> {
    private static final long serialVersionUID = 1L;

    enum Kind { CLAIM, REPLACE_MODERATOR, SET_PASSWORD, SET_LOBBY, READ }

    private final Kind kind;
    /** CLAIM: the claimant; otherwise the participant that must be the moderator now (null: anyone). */
    private final String participant;
    private final String value;
    private final boolean flag;

    RoomAccessProcessor(Kind kind, String participant, String value, boolean flag) {
        this.kind = kind;
        this.participant = participant;
        this.value = value;
        this.flag = flag;
    }

    @Override
    public RoomRecord process(Map.Entry<String, RoomRecord> entry) {
        RoomRecord r = entry.getValue();
        if (r == null) {
            return null;
        }
        RoomRecord next;
        switch (kind) {
            case READ -> {
                return r;
            }
            case CLAIM -> {
                if (r.moderator() != null) {
                    return r;
                }
                next = r.withModerator(participant);
            }
            case REPLACE_MODERATOR -> {
                if (!Objects.equals(r.moderator(), participant)) {
                    return null;
                }
                next = r.withModerator(value);
            }
            case SET_PASSWORD -> {
                if (r.moderator() == null || !r.moderator().equals(participant)) {
                    return null;
                }
                next = r.withPasswordHash(value);
            }
            case SET_LOBBY -> {
                if (participant != null && !participant.equals(r.moderator())) {
                    return null;
                }
                next = r.withLobby(flag);
            }
            default -> throw new IllegalStateException();
        }
        entry.setValue(next);
        return next;
    }
}
