package org.huisclos.media.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.huisclos.media.sdp.Codec;
import org.huisclos.media.srtp.SrtpContext;
import org.huisclos.media.srtp.SrtpProfile;
import org.huisclos.media.transport.DropCounters;
import org.huisclos.media.transport.DropReason;
import org.junit.jupiter.api.Test;

/**
 * A participant holds its own SRTP keys, so it can send authentic packets under any SSRC. RTP of
 * streams it did not publish is dropped and counted before decryption, and its packets give SRTP
 * state to at most {@link Endpoint#receivedSsrcLimit} SSRCs: the node's state stays bounded.
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

    @Test
    void rtcpGivesStateToAtMostTheParticipantsLimitOfSsrcs() {
        byte[] key = new byte[16];
        byte[] salt = new byte[12];
        Room room = new Room("k");
        Endpoint participant = new Endpoint("p1", room);
        participant.receiveWith(new SrtpContext(SrtpProfile.AEAD_AES_128_GCM, key, salt));
        SrtpContext sender = new SrtpContext(SrtpProfile.AEAD_AES_128_GCM, key, salt);
        DropCounters drops = new DropCounters();
        Forwarder forwarder = new Forwarder(drops, new ForwardingCounters());
        byte[] buf = new byte[200];
        assertEquals(16, participant.receivedSsrcLimit(), "publishing and receiving nothing yet");
        for (int i = 0; i < 100; i++) {
            forwarder.onSrtp(participant, buf, 0, receiverReport(sender, buf, 0x20000 + i));
        }
        assertEquals(16, participant.inbound.ssrcCount(), "state for the first 16 report SSRCs only");
        assertEquals(84, drops.count(DropReason.SRTP_TOO_MANY_SSRCS));
        assertEquals(0, drops.count(DropReason.SRTP_AUTH_FAILED));
        forwarder.onSrtp(participant, buf, 0, receiverReport(sender, buf, 0x20000));
        assertEquals(84, drops.count(DropReason.SRTP_TOO_MANY_SSRCS), "an SSRC with state goes on being accepted");

        // Receiving 10 streams (say a Firefox reporting from one SSRC per receiving m-line): 20 more.
        Endpoint other = new Endpoint("p2", room);
        Subscription[] subs = new Subscription[10];
        for (int i = 0; i < subs.length; i++) {
            subs[i] = new Subscription(new PublishedStream(other, "video", 0x3000 + i, -1, Codec.VP8), participant, "m" + i);
        }
        participant.subscriptions = subs;
        for (int i = 100; i < 200; i++) {
            forwarder.onSrtp(participant, buf, 0, receiverReport(sender, buf, 0x20000 + i));
        }
        assertEquals(36, participant.inbound.ssrcCount(), "16 + 2 per received stream");
    }

    /** An SRTCP receiver report (no report blocks) from {@code ssrc}, in {@code buf}. */
    private static int receiverReport(SrtpContext sender, byte[] buf, int ssrc) {
        java.util.Arrays.fill(buf, (byte) 0);
        buf[0] = (byte) 0x80;
        buf[1] = (byte) 201;
        buf[3] = 1; // length in words minus one
        buf[4] = (byte) (ssrc >>> 24);
        buf[5] = (byte) (ssrc >>> 16);
        buf[6] = (byte) (ssrc >>> 8);
        buf[7] = (byte) ssrc;
        return sender.protectRtcp(buf, 0, 8);
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
