package org.huisclos.media.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.huisclos.media.peer.SimulcastPublisher;
import org.huisclos.media.sdp.Codec;
import org.huisclos.media.srtp.SrtpContext;
import org.huisclos.media.srtp.SrtpProfile;
import org.huisclos.media.transport.DropCounters;
import org.huisclos.media.transport.DropReason;
import org.junit.jupiter.api.Test;

/**
 * Before its SSRC is known a simulcast layer is admitted by the rid in its rtp-stream-id (RFC 8852),
 * read in the clear: packets naming no layer of ours, and the repair streams (RTX) of our layers, are
 * dropped and counted before decryption, so they give the node no SRTP state.
 */
class SimulcastAdmissionTest {
    private static final byte[] KEY = new byte[16];
    private static final byte[] SALT = new byte[12];

    @Test
    void unknownRidsAndRepairStreamsAreDroppedWithoutSrtpStateAndALayerIsBoundOnce() {
        Endpoint publisher = new Endpoint("p1", new Room("k"));
        PublishedStream stream = PublishedStream.simulcast(publisher, List.of("q", "h", "f"), Codec.VP8);
        publisher.published = new PublishedStream[] {stream};
        publisher.inbound = new SrtpContext(SrtpProfile.AEAD_AES_128_GCM, KEY, SALT);
        SrtpContext sender = new SrtpContext(SrtpProfile.AEAD_AES_128_GCM, KEY, SALT);
        DropCounters drops = new DropCounters();
        Forwarder forwarder = new Forwarder(drops, new ForwardingCounters());
        List<PublishedStream> announced = new ArrayList<>();
        forwarder.onFirstLayer(announced::add);
        byte[] buf = new byte[300];

        for (int i = 0; i < 100; i++) {
            forwarder.onSrtp(publisher, buf, 0, packet(sender, buf, 0x10000 + i, SimulcastPublisher.RTP_STREAM_ID, "x"));
            forwarder.onSrtp(publisher, buf, 0,
                    packet(sender, buf, 0x20000 + i, SimulcastPublisher.REPAIRED_RTP_STREAM_ID, "h"));
        }
        assertEquals(100, drops.count(DropReason.RTP_UNKNOWN_SSRC), "rids we did not ask for");
        assertEquals(100, drops.count(DropReason.RTX_UPSTREAM), "repair streams of our layers");
        assertEquals(0, publisher.inbound.ssrcCount(), "no SRTP state for either");
        assertEquals(List.of(), announced);

        forwarder.onSrtp(publisher, buf, 0, packet(sender, buf, 0x30000, SimulcastPublisher.RTP_STREAM_ID, "h"));
        assertTrue(stream.layers[1].bound(), "h bound by its first authentic packet");
        assertEquals(0x30000, stream.ssrc, "the stream takes its first layer's SSRC");
        assertEquals(List.of(stream), announced);
        forwarder.onSrtp(publisher, buf, 0, packet(sender, buf, 0x30001, SimulcastPublisher.RTP_STREAM_ID, "h"));
        assertEquals(101, drops.count(DropReason.RTP_UNKNOWN_SSRC), "a second SSRC for a bound rid is not admitted");
        forwarder.onSrtp(publisher, buf, 0, packet(sender, buf, 0x40000, SimulcastPublisher.RTP_STREAM_ID, "f"));
        assertTrue(stream.layers[2].bound());
        assertEquals(0x30000, stream.ssrc, "the stream's SSRC stays its first layer's");
        assertEquals(List.of(stream), announced, "announced once");
        assertEquals(2, publisher.inbound.ssrcCount(), "state for the two bound layers only");
    }

    /** An SRTP packet of {@code ssrc} whose header extension {@code id} names {@code rid}, in {@code buf}. */
    private static int packet(SrtpContext sender, byte[] buf, int ssrc, int id, String rid) {
        java.util.Arrays.fill(buf, (byte) 0);
        int p = SimulcastPublisher.header(buf, ssrc, 1, 0, id, rid);
        return sender.protectRtp(buf, 0, p + 100);
    }
}
