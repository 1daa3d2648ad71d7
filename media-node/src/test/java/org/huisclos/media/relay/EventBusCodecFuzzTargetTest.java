package org.huisclos.media.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.huisclos.contract.BadMessage;
import org.huisclos.contract.MediaCodec;
import org.huisclos.contract.MediaCommand;
import org.huisclos.contract.MediaRequest;
import org.huisclos.contract.NodeMessage;
import org.huisclos.contract.ParticipantMessage;
import org.huisclos.contract.RoomEvent;
import org.huisclos.contract.SignalingCodec;
import org.huisclos.media.fuzz.FuzzStats;
import org.junit.jupiter.api.AfterAll;

/**
 * Jazzer target: the event-bus codecs (docs/reliability.md), every decoder of the contract — a media
 * node's requests and their replies ({@link MediaCodec}), what signaling instances send each other
 * ({@link SignalingCodec}) — on one JSON body, as the clustered event bus delivers it. Each either
 * refuses with a {@link BadMessage} naming the problem (code 400), or yields a record that its
 * encoder writes back to the same record; nothing else may escape (a ClassCastException or an
 * ArithmeticException would leave a request unanswered). A relay link's peer address is then parsed
 * as {@link RelayManager} does: an IllegalArgumentException, or an IP literal and a port, found
 * without a name lookup.
 */
class EventBusCodecFuzzTargetTest {
    private static long executions;

    @FuzzTest
    void decode(byte[] data) {
        executions++;
        JsonObject body;
        try {
            body = new JsonObject(new String(data, StandardCharsets.UTF_8));
        } catch (DecodeException | ClassCastException e) {
            return; // the event bus delivers decoded JSON objects; text that is none never reaches a codec
        }
        try {
            MediaCommand command = MediaCodec.decode(body);
            assertEquals(command, MediaCodec.decode(MediaCodec.encode(command)));
            if (command instanceof MediaCommand.Open open) {
                address(open.link().address());
            }
        } catch (BadMessage e) {
            refused(e);
        }
        try {
            NodeMessage.Offer offer = MediaCodec.decodeResumeReply(body);
            assertEquals(offer, MediaCodec.decodeResumeReply(MediaCodec.resumeReply(offer)));
        } catch (BadMessage e) {
            refused(e);
        }
        try {
            MediaCommand.LinkParameters link = MediaCodec.decodeOpenReply(body);
            assertEquals(link, MediaCodec.decodeOpenReply(MediaCodec.openReply("r", "n", link)));
            address(link.address());
        } catch (BadMessage e) {
            refused(e);
        }
        try {
            MediaCodec.decodeDrain(body);
            MediaCodec.decodeDrainReply(body);
        } catch (BadMessage e) {
            refused(e);
        }
        try {
            RoomEvent event = SignalingCodec.decodeRoomEvent(body);
            assertEquals(event, SignalingCodec.decodeRoomEvent(SignalingCodec.encode(event)));
        } catch (BadMessage e) {
            refused(e);
        }
        try {
            ParticipantMessage message = SignalingCodec.decodeParticipantMessage(body);
            assertEquals(message, SignalingCodec.decodeParticipantMessage(SignalingCodec.encode(message)));
        } catch (BadMessage e) {
            refused(e);
        }
        try {
            var handoff = SignalingCodec.decodeHandoff(body);
            assertEquals(handoff, SignalingCodec.decodeHandoff(SignalingCodec.encode(handoff)));
        } catch (BadMessage e) {
            refused(e);
        }
    }

    private static void refused(BadMessage e) {
        assertNotNull(e.getMessage());
        assertEquals(MediaRequest.Failure.BAD_REQUEST, e.code);
    }

    private static void address(String text) {
        try {
            InetSocketAddress a = RelayWire.parseAddress(text);
            assertTrue(a.getPort() >= 1 && a.getPort() <= 65535);
            assertTrue(!a.isUnresolved());
            String host = text.substring(0, text.lastIndexOf(':'));
            assertTrue(host.indexOf(':') >= 0 || host.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}"),
                    "an IPv4 address is a dotted quad, anything else would be looked up: " + host);
        } catch (IllegalArgumentException e) {
            assertNotNull(e.getMessage());
        }
    }

    @AfterAll
    static void report() throws Exception {
        FuzzStats.write(EventBusCodecFuzzTargetTest.class, executions);
    }
}
