package org.huisclos.media.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.huisclos.media.sdp.Codec;
import org.huisclos.media.srtp.SrtpContext;
import org.huisclos.media.srtp.SrtpProfile;
import org.huisclos.media.transport.DropCounters;
import org.huisclos.media.transport.DropReason;
import org.junit.jupiter.api.Test;

/**
 * A participant holds its own SRTP keys, so it can send authentic packets under any SSRC. Those of
 * streams it did not publish are dropped and counted before decryption: the node keeps no SRTP
 * state for them, however many there are.
 */
class UnpublishedSsrcTest {
    @Test
    void authenticPacketsOfUnpublishedSsrcsAreDroppedWithoutSrtpState() {
        byte[] key = new byte[16];
        byte[] salt = new byte[12];
        Endpoint publisher = new Endpoint("p1", new Room("k"));
        publisher.published = new PublishedStream[] {new PublishedStream(publisher, "video", 0x1234, 0x5678, Codec.VP8)};
        publisher.inbound = new SrtpContext(SrtpProfile.AEAD_AES_128_GCM, key, salt);
        SrtpContext sender = new SrtpContext(SrtpProfile.AEAD_AES_128_GCM, key, salt);
        DropCounters drops = new DropCounters();
        Forwarder forwarder = new Forwarder(drops, new ForwardingCounters());
        byte[] buf = new byte[200];

        int ssrcs = 1000;
        for (int i = 0; i < ssrcs; i++) {
            forwarder.onSrtp(publisher, buf, 0, packet(sender, buf, 0x10000 + i, i));
        }
        assertEquals(ssrcs, drops.count(DropReason.RTP_UNKNOWN_SSRC));
        assertEquals(0, publisher.inbound.ssrcCount(), "no SRTP state for streams nobody published");

        forwarder.onSrtp(publisher, buf, 0, packet(sender, buf, 0x1234, 1));
        assertEquals(1, publisher.inbound.ssrcCount(), "the published stream's packet is decrypted");
        assertEquals(ssrcs, drops.count(DropReason.RTP_UNKNOWN_SSRC), "and not dropped");
        forwarder.onSrtp(publisher, buf, 0, packet(sender, buf, 0x5678, 1));
        assertEquals(1, drops.count(DropReason.RTX_UPSTREAM), "the publisher's own RTX is dropped as before");
        assertEquals(1, publisher.inbound.ssrcCount());
    }

    /** An SRTP packet of {@code ssrc} with sequence number {@code seq} and a small payload, in {@code buf}. */
    private static int packet(SrtpContext sender, byte[] buf, int ssrc, int seq) {
        java.util.Arrays.fill(buf, (byte) 0);
        buf[0] = (byte) 0x80;
        buf[1] = (byte) 96;
        buf[2] = (byte) (seq >>> 8);
        buf[3] = (byte) seq;
        buf[8] = (byte) (ssrc >>> 24);
        buf[9] = (byte) (ssrc >>> 16);
        buf[10] = (byte) (ssrc >>> 8);
        buf[11] = (byte) ssrc;
        return sender.protectRtp(buf, 0, 12 + 100);
    }
}
