package org.huisclos.contract;

import io.vertx.core.json.JsonObject;
import org.huisclos.contract.ParticipantMessage.Admit;
import org.huisclos.contract.ParticipantMessage.Knock;
import org.huisclos.contract.ParticipantMessage.KnockCancelled;
import org.huisclos.contract.ParticipantMessage.ModeratorPing;
import org.huisclos.contract.ParticipantMessage.MuteRequest;
import org.huisclos.contract.ParticipantMessage.Refuse;
import org.huisclos.contract.ParticipantMessage.Remove;
import org.huisclos.contract.ParticipantMessage.Takeover;
import org.huisclos.contract.RoomEvent.Arrival;
import org.huisclos.contract.RoomEvent.Entry;

/**
 * The JSON form of what signaling instances send each other: room events ({@link RoomEvent}),
 * messages to a participant's address ({@link ParticipantMessage}, a media node's among them, which
 * {@link MediaCodec} writes and reads) and hand-offs ({@link Handoff}). Like {@link MediaCodec}, the
 * one place that knows their field names; it writes {@code protocol: 1} and refuses newer versions;
 * whatever it cannot read is a {@link BadMessage}.
 */
public final class SignalingCodec {
    private SignalingCodec() {
    }

    // ---- room events ----

    public static JsonObject encode(RoomEvent event) {
        if (event instanceof Entry e) {
            return entry(e);
        } else if (event instanceof RoomEvent.Left l) {
            return typed(RoomEvent.LEFT).put(RoomEvent.PARTICIPANT, l.participant());
        } else if (event instanceof RoomEvent.Moderator m) {
            return typed(RoomEvent.MODERATOR).put(RoomEvent.PARTICIPANT, m.participant());
        }
        RoomEvent.Settings s = (RoomEvent.Settings) event;
        return typed(RoomEvent.ROOM_SETTINGS).put(RoomEvent.LOBBY, s.lobby()).put(RoomEvent.PASSWORD, s.password());
    }

    /** An entry, as a room event or to a participant's address: the same JSON. */
    public static JsonObject encode(Entry entry) {
        return entry(entry);
    }

    public static RoomEvent decodeRoomEvent(Object body) throws BadMessage {
        JsonObject json = Fields.object(body, "a room event");
        String type = Fields.string(json, RoomEvent.TYPE, "a room event");
        switch (type) {
            case RoomEvent.PARTICIPANT:
                return decodeEntry(json);
            case RoomEvent.LEFT:
                return new RoomEvent.Left(Fields.string(json, RoomEvent.PARTICIPANT, type));
            case RoomEvent.MODERATOR:
                return new RoomEvent.Moderator(Fields.optionalString(json, RoomEvent.PARTICIPANT, type));
            case RoomEvent.ROOM_SETTINGS:
                return new RoomEvent.Settings(Fields.bool(json, RoomEvent.LOBBY, type),
                        Fields.bool(json, RoomEvent.PASSWORD, type));
            default:
                throw new BadMessage("unknown room event " + type);
        }
    }

    // ---- a participant's address ----

    public static JsonObject encode(ParticipantMessage message) {
        if (message instanceof NodeMessage m) {
            return MediaCodec.encode(m);
        } else if (message instanceof Entry e) {
            return entry(e);
        } else if (message instanceof Takeover t) {
            return typed(ParticipantMessage.TAKEOVER).put(ParticipantMessage.GENERATION, t.generation());
        } else if (message instanceof Knock k) {
            return typed(ParticipantMessage.KNOCK).put(ParticipantMessage.PARTICIPANT, k.participant())
                    .put(ParticipantMessage.NAME, k.name());
        } else if (message instanceof KnockCancelled k) {
            return typed(ParticipantMessage.KNOCK_CANCELLED).put(ParticipantMessage.PARTICIPANT, k.participant());
        } else if (message instanceof MuteRequest m) {
            return typed(ParticipantMessage.MUTE_REQUEST).put(ParticipantMessage.BY, m.by());
        } else if (message instanceof Remove r) {
            return typed(ParticipantMessage.REMOVE).put(ParticipantMessage.BY, r.by());
        } else if (message instanceof ModeratorPing) {
            return typed(ParticipantMessage.MODERATOR_PING);
        } else if (message instanceof Admit) {
            return typed(ParticipantMessage.ADMIT);
        }
        return typed(ParticipantMessage.REFUSE);
    }

    public static ParticipantMessage decodeParticipantMessage(Object body) throws BadMessage {
        NodeMessage fromNode = MediaCodec.decodeNodeMessage(body); // checks the object and its version
        if (fromNode != null) {
            return fromNode;
        }
        JsonObject json = (JsonObject) body;
        String type = Fields.string(json, ParticipantMessage.TYPE, "a participant message");
        switch (type) {
            case ParticipantMessage.PARTICIPANT:
                return decodeEntry(json);
            case ParticipantMessage.TAKEOVER:
                return new Takeover(Fields.number(json, ParticipantMessage.GENERATION, type));
            case ParticipantMessage.KNOCK:
                return new Knock(Fields.string(json, ParticipantMessage.PARTICIPANT, type),
                        Fields.string(json, ParticipantMessage.NAME, type));
            case ParticipantMessage.KNOCK_CANCELLED:
                return new KnockCancelled(Fields.string(json, ParticipantMessage.PARTICIPANT, type));
            case ParticipantMessage.MUTE_REQUEST:
                return new MuteRequest(Fields.string(json, ParticipantMessage.BY, type));
            case ParticipantMessage.REMOVE:
                return new Remove(Fields.string(json, ParticipantMessage.BY, type));
            case ParticipantMessage.MODERATOR_PING:
                return new ModeratorPing();
            case ParticipantMessage.ADMIT:
                return new Admit();
            case ParticipantMessage.REFUSE:
                return new Refuse();
            default:
                throw new BadMessage("unknown participant message " + type);
        }
    }

    // ---- hand-off ----

    public static JsonObject encode(Handoff h) {
        return new JsonObject().put(MediaRequest.PROTOCOL, MediaCodec.PROTOCOL_VERSION)
                .put(Handoff.PARTICIPANT, h.participant()).put(Handoff.TOKEN, h.token()).put(Handoff.ROOM, h.room())
                .put(RoomEvent.NAME, h.name()).put(RoomEvent.AUDIO, h.audio()).put(RoomEvent.VIDEO, h.video());
    }

    public static Handoff decodeHandoff(Object body) throws BadMessage {
        String what = "a hand-off";
        JsonObject json = Fields.object(body, what);
        return new Handoff(Fields.string(json, Handoff.PARTICIPANT, what), Fields.string(json, Handoff.TOKEN, what),
                Fields.string(json, Handoff.ROOM, what), Fields.string(json, RoomEvent.NAME, what),
                Fields.bool(json, RoomEvent.AUDIO, what), Fields.bool(json, RoomEvent.VIDEO, what));
    }

    // ---- parts ----

    private static JsonObject typed(String type) {
        return new JsonObject().put(MediaRequest.PROTOCOL, MediaCodec.PROTOCOL_VERSION).put(RoomEvent.TYPE, type);
    }

    private static JsonObject entry(Entry e) {
        JsonObject json = typed(RoomEvent.PARTICIPANT).put(RoomEvent.PARTICIPANT, e.participant())
                .put(RoomEvent.NAME, e.name()).put(RoomEvent.AUDIO, e.audio()).put(RoomEvent.VIDEO, e.video());
        if (e.arrival() == Arrival.JOINED) {
            json.put(RoomEvent.JOINED, true);
        } else if (e.arrival() == Arrival.RESUMED) {
            json.put(RoomEvent.RESUMED, true);
        }
        return json;
    }

    private static Entry decodeEntry(JsonObject json) throws BadMessage {
        String what = "a participant entry";
        Arrival arrival = Boolean.TRUE.equals(json.getValue(RoomEvent.JOINED)) ? Arrival.JOINED
                : Boolean.TRUE.equals(json.getValue(RoomEvent.RESUMED)) ? Arrival.RESUMED : Arrival.CHANGE;
        return new Entry(Fields.string(json, RoomEvent.PARTICIPANT, what), Fields.string(json, RoomEvent.NAME, what),
                Fields.bool(json, RoomEvent.AUDIO, what), Fields.bool(json, RoomEvent.VIDEO, what), arrival);
    }
}
