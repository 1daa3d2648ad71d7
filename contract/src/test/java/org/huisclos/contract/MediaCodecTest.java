package org.huisclos.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.huisclos.contract.MediaCommand.LinkParameters;
import org.huisclos.contract.MediaCommand.Stream;
import org.junit.jupiter.api.Test;

/** Every message of the media node's contract survives its JSON form; whatever is not one is refused with a reason. */
class MediaCodecTest {
    private static final List<Stream> STREAMS = List.of(new Stream("p1", "audio", 0xfffffffeL, Stream.NO_RTX, "opus"),
            new Stream("p1", "video", 7, 8, "VP8"));
    private static final LinkParameters LINK = new LinkParameters("127.0.0.1:10000", "sha-256 AB:CD", "ufrag",
            "p".repeat(22), STREAMS);

    @Test
    void everyRequestRoundTrips() throws BadMessage {
        List<MediaCommand> all = List.of(new MediaCommand.Allocate("room", "p1"),
                new MediaCommand.Answer("p1", 3, "v=0\r\n"), new MediaCommand.Release("p1"),
                new MediaCommand.Resume("p1"), new MediaCommand.View("p1", java.util.Map.of("s0", 360, "s1", 0)),
                new MediaCommand.Connect("room", "n2"),
                new MediaCommand.Open("room", "n2", LINK), new MediaCommand.Ready("room", "n2"),
                new MediaCommand.Streams("room", "n2", STREAMS), new MediaCommand.Close("room", "n2"));
        for (MediaCommand command : all) {
            JsonObject json = MediaCodec.encode(command);
            assertEquals(MediaCodec.PROTOCOL_VERSION, json.getInteger(MediaRequest.PROTOCOL));
            // Through its text form, as the clustered event bus carries it.
            assertEquals(command, MediaCodec.decode(new JsonObject(json.encode())));
        }
    }

    @Test
    void repliesAndNodeMessagesRoundTrip() throws BadMessage {
        NodeMessage.Offer offer = new NodeMessage.Offer("n1", 2, "v=0\r\n",
                List.of(new NodeMessage.Track("1", "p2", "audio"), new NodeMessage.Track("2", "p2", "video")));
        assertEquals(offer, MediaCodec.decodeNodeMessage(new JsonObject(MediaCodec.encode(offer).encode())));
        NodeMessage speaker = new NodeMessage.Speaker("n1", "p7");
        assertEquals(speaker, MediaCodec.decodeNodeMessage(new JsonObject(MediaCodec.encode(speaker).encode())));
        NodeMessage layers = new NodeMessage.Layers("n1", List.of("q", "f"));
        assertEquals(layers, MediaCodec.decodeNodeMessage(new JsonObject(MediaCodec.encode(layers).encode())));
        NodeMessage failed = new NodeMessage.MediaFailed("n1", "DTLS: bad certificate");
        assertEquals(failed, MediaCodec.decodeNodeMessage(MediaCodec.encode(failed)));
        assertEquals(offer, MediaCodec.decodeResumeReply(new JsonObject(MediaCodec.resumeReply(offer).encode())));
        assertNull(MediaCodec.decodeResumeReply(MediaCodec.resumeReply(null)));
        assertEquals(LINK, MediaCodec.decodeOpenReply(MediaCodec.openReply("room", "n1", LINK)));
        assertEquals(12, MediaCodec.decodeDrainReply(MediaCodec.drainReply(12)));
        MediaCodec.decodeDrain(MediaCodec.drain());
        // Other messages on a participant's address are not the node's.
        assertNull(MediaCodec.decodeNodeMessage(new JsonObject().put("type", "participant")));
    }

    @Test
    void whatIsNoRequestIsRefusedWithItsReason() {
        assertRefused("a request is a JSON object", "not json");
        assertRefused("a request is a JSON object", null);
        assertRefused("a request needs action (a string)", new JsonObject().put("action", 5));
        assertRefused("unknown action", new JsonObject().put("action", "explode").put("participant", "p1"));
        assertRefused("allocate needs room (a string)", new JsonObject().put("action", "allocate").put("participant", "p1"));
        assertRefused("answer needs version (a number)", new JsonObject().put("action", "answer").put("participant", "p1")
                .put("version", "1").put("sdp", "v=0"));
        assertRefused("relay-connect needs node (a string)", new JsonObject().put("action", "relay-connect").put("room", "r"));
        assertRefused("stream 0 needs ssrc (a number)", MediaCodec.encode(new MediaCommand.Streams("r", "n2", List.of()))
                .put(MediaRequest.STREAMS, new JsonArray().add(new JsonObject().put("participant", "p1"))));
        assertRefused("stream 0: rtx must be a number", MediaCodec.encode(new MediaCommand.Streams("r", "n2", STREAMS))
                .put(MediaRequest.STREAMS, new JsonArray().add(new JsonObject().put("participant", "p1")
                        .put("kind", "audio").put("codec", "opus").put("ssrc", 1).put("rtx", "2"))));
        for (String field : new String[] {"kind", "codec", "participant"}) {
            JsonObject stream = new JsonObject().put("participant", "p").put("kind", "video").put("codec", "VP8")
                    .put("ssrc", 2).put(field, 5); // applied halfway, this threw a ClassCastException once
            assertRefused("stream 1 needs " + field + " (a string)", MediaCodec.encode(new MediaCommand.Streams("r", "n2",
                    STREAMS.subList(0, 1))).put(MediaRequest.STREAMS, new JsonArray().add(MediaCodec.encode(
                    new MediaCommand.Streams("r", "n2", STREAMS)).getJsonArray(MediaRequest.STREAMS).getValue(0)).add(stream)));
        }
        assertRefused("view needs 'heights', an object of mid to pixels",
                new JsonObject().put("action", "view").put("participant", "p1").put("heights", 5));
        assertRefused("view height of 's0' must be a whole number 0..8192", new JsonObject().put("action", "view")
                .put("participant", "p1").put("heights", new JsonObject().put("s0", 9000)));
        assertRefused("view height of 's0' must be a whole number 0..8192", new JsonObject().put("action", "view")
                .put("participant", "p1").put("heights", new JsonObject().put("s0", "big")));
        assertRefused("relay-streams needs streams (a list)", new JsonObject().put("action", "relay-streams")
                .put("room", "r").put("node", "n2").put("streams", "all"));
        assertRefused("protocol version 2 is not supported (this node speaks up to 1)",
                MediaCodec.encode(new MediaCommand.Release("p1")).put(MediaRequest.PROTOCOL, 2));
        assertRefused("protocol version x is not supported (this node speaks up to 1)",
                MediaCodec.encode(new MediaCommand.Release("p1")).put(MediaRequest.PROTOCOL, "x"));
    }

    @Test
    void aRequestWithoutProtocolIsVersionOne() throws BadMessage {
        assertEquals(new MediaCommand.Release("p1"),
                MediaCodec.decode(new JsonObject().put("action", "release").put("participant", "p1")));
    }

    @Test
    void malformedNodeMessagesAndRepliesAreRefused() {
        BadMessage offer = assertThrows(BadMessage.class, () -> MediaCodec.decodeNodeMessage(
                new JsonObject().put("type", "offer").put("node", "n1").put("version", 1).put("sdp", "v=0")
                        .put("tracks", new JsonArray().add("1"))));
        assertEquals("a track is a JSON object", offer.getMessage());
        BadMessage reply = assertThrows(BadMessage.class, () -> MediaCodec.decodeResumeReply(
                new JsonObject().put("ok", true).put("offer", new JsonObject().put("type", "media-failed")
                        .put("node", "n1").put("reason", "x"))));
        assertTrue(reply.getMessage().contains("must be an offer"), reply.getMessage());
        assertThrows(BadMessage.class, () -> MediaCodec.decodeDrain(new JsonObject().put("action", "reboot")));
        BadMessage layers = assertThrows(BadMessage.class, () -> MediaCodec.decodeNodeMessage(new JsonObject()
                .put("type", "layers").put("node", "n1").put("active", new JsonArray().add(3))));
        assertEquals("layers: 'active' must list rids", layers.getMessage());
        assertThrows(BadMessage.class, () -> MediaCodec.decodeOpenReply(new JsonObject().put("ok", true)));
    }

    private static void assertRefused(String why, Object body) {
        BadMessage bad = assertThrows(BadMessage.class, () -> MediaCodec.decode(body));
        assertEquals(why, bad.getMessage());
        assertEquals(MediaRequest.Failure.BAD_REQUEST, bad.code);
    }
}
