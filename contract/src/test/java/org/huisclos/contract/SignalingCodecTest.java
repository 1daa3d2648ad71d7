package org.huisclos.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What signaling instances send each other survives its JSON form; what is none of it is refused with a reason. */
class SignalingCodecTest {
    @Test
    void roomEventsRoundTrip() throws BadMessage {
        List<RoomEvent> all = List.of(new RoomEvent.Entry("p1", "Ada", true, false, RoomEvent.Arrival.JOINED),
                new RoomEvent.Entry("p1", "Ada", false, true, RoomEvent.Arrival.RESUMED),
                new RoomEvent.Entry("p1", "Ada", true, true, RoomEvent.Arrival.CHANGE),
                new RoomEvent.Left("p1"), new RoomEvent.Moderator("p2"), new RoomEvent.Moderator(null),
                new RoomEvent.Settings(true, false));
        for (RoomEvent e : all) {
            assertEquals(e, SignalingCodec.decodeRoomEvent(new JsonObject(SignalingCodec.encode(e).encode())));
        }
    }

    @Test
    void participantMessagesRoundTrip() throws BadMessage {
        List<ParticipantMessage> all = List.of(new RoomEvent.Entry("p1", "Ada", true, false, RoomEvent.Arrival.CHANGE),
                new ParticipantMessage.Takeover(3), new ParticipantMessage.Knock("p9", "Bob"),
                new ParticipantMessage.KnockCancelled("p9"), new ParticipantMessage.MuteRequest("p2"),
                new ParticipantMessage.Remove("p2"), new ParticipantMessage.ModeratorPing(),
                new ParticipantMessage.Admit(), new ParticipantMessage.Refuse(),
                new NodeMessage.MediaFailed("n1", "DTLS: timeout"),
                new NodeMessage.Offer("n1", 1, "v=0", List.of(new NodeMessage.Track("0", "p2", "audio"))));
        for (ParticipantMessage m : all) {
            assertEquals(m, SignalingCodec.decodeParticipantMessage(new JsonObject(SignalingCodec.encode(m).encode())));
        }
        Handoff h = new Handoff("p1", "v2.x", "room", "Ada", true, false);
        assertEquals(h, SignalingCodec.decodeHandoff(SignalingCodec.encode(h)));
        // A roster entry to a participant's address carries no arrival flag.
        assertFalse(SignalingCodec.encode(new RoomEvent.Entry("p1", "Ada", true, true, RoomEvent.Arrival.CHANGE))
                .containsKey(RoomEvent.JOINED));
    }

    @Test
    void whatIsNoneOfThemIsRefusedWithItsReason() {
        assertEquals("unknown room event explode", assertThrows(BadMessage.class, () ->
                SignalingCodec.decodeRoomEvent(new JsonObject().put("type", "explode"))).getMessage());
        assertEquals("a participant entry needs audio (true or false)", assertThrows(BadMessage.class, () ->
                SignalingCodec.decodeRoomEvent(new JsonObject().put("type", "participant").put("participant", "p1")
                        .put("name", "Ada").put("audio", "yes").put("video", true))).getMessage());
        assertEquals("moderator: participant must be a string", assertThrows(BadMessage.class, () ->
                SignalingCodec.decodeRoomEvent(new JsonObject().put("type", "moderator").put("participant", 7))).getMessage());
        assertEquals("a participant message needs type (a string)", assertThrows(BadMessage.class, () ->
                SignalingCodec.decodeParticipantMessage(new JsonObject().put("participant", "p1"))).getMessage());
        assertEquals("a hand-off needs audio (true or false)", assertThrows(BadMessage.class, () ->
                SignalingCodec.decodeHandoff(new JsonObject().put("participant", "p1").put("token", "t").put("room", "r")
                        .put("name", "Ada"))).getMessage());
        assertEquals("a room event is a JSON object", assertThrows(BadMessage.class, () ->
                SignalingCodec.decodeRoomEvent(null)).getMessage());
    }
}
