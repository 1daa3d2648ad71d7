package org.huisclos.media.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import org.huisclos.media.rtcp.Nack;
import org.huisclos.media.rtcp.RtcpPacket;
import org.huisclos.media.rtp.RtpPacket;
import org.huisclos.media.rtp.Rtx;
import org.huisclos.media.sdp.Codec;
import org.huisclos.media.srtp.SrtpContext;
import org.huisclos.media.srtp.SrtpProfile;
import org.huisclos.media.transport.DropCounters;
import org.huisclos.media.transport.UdpPath;
import org.huisclos.media.transport.UdpTransport;
import org.junit.jupiter.api.Test;

/**
 * NACKs across a relay link: a subscriber asks for a packet of a relayed stream that never
 * crossed the link (so this node's cache misses it); the node asks the publisher's node with a
 * NACK over the link, and the retransmission that comes back goes to that subscriber only, once.
 * A packet the cache has is answered here, with nothing asked over the link.
 */
class RelayNackTest {
    private static final int SSRC = 0x1234;
    private static final int RTX_SSRC = 0x5678;
    private static final byte[] KEY = new byte[16];
    private static final byte[] SALT = new byte[12];

    private static SrtpContext context() {
        return new SrtpContext(SrtpProfile.AEAD_AES_128_GCM, KEY, SALT);
    }

    private static byte[] rtp(int seq) {
        byte[] p = new byte[12 + 200];
        p[0] = (byte) 0x80;
        p[1] = 96;
        p[2] = (byte) (seq >>> 8);
        p[3] = (byte) seq;
        p[7] = (byte) seq;
        p[10] = 0x12;
        p[11] = 0x34;
        p[12] = (byte) seq; // the payload names its packet
        return p;
    }

    /** The next datagram at {@code sink}, or null within 300 ms. */
    private static byte[] receive(DatagramChannel sink) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(2048);
        long deadline = System.nanoTime() + 300_000_000L;
        while (System.nanoTime() < deadline) {
            if (sink.receive(b) != null) {
                byte[] out = new byte[b.position()];
                b.flip().get(out);
                return out;
            }
            Thread.onSpinWait();
        }
        return null;
    }

    private static byte[] expect(DatagramChannel sink, String what) throws Exception {
        byte[] d = receive(sink);
        if (d == null) {
            throw new AssertionError("no datagram within 300 ms: " + what);
        }
        return d;
    }

    @Test
    void aPacketLostOnTheLinkIsAskedOfThePublishersNodeAndReachesTheSubscriberThatAskedOnce() throws Exception {
        Room room = new Room("k");
        Endpoint link = new Endpoint("relay:n1", room, true);
        PublishedStream stream = new PublishedStream(link, "video", SSRC, RTX_SSRC, Codec.VP8);
        link.published = new PublishedStream[] {stream};
        link.inbound = context();
        link.outbound = context();
        Endpoint alice = new Endpoint("alice", room, false);
        Endpoint bob = new Endpoint("bob", room, false);
        SrtpContext fromLink = context();
        SrtpContext atLink = context();
        SrtpContext fromAlice = context();
        SrtpContext atAlice = context();
        SrtpContext atBob = context();

        try (DatagramChannel linkSink = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
             DatagramChannel aliceSink = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
             DatagramChannel bobSink = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
             UdpTransport transport = UdpTransport.bind(new InetSocketAddress("127.0.0.1", 0), (b, o, l, f) -> { })) {
            for (DatagramChannel c : new DatagramChannel[] {linkSink, aliceSink, bobSink}) {
                c.configureBlocking(false);
            }
            link.selected = new UdpPath(transport, (InetSocketAddress) linkSink.getLocalAddress());
            Subscription[] subs = new Subscription[2];
            Endpoint[] subscribers = {alice, bob};
            DatagramChannel[] sinks = {aliceSink, bobSink};
            for (int i = 0; i < 2; i++) {
                Endpoint e = subscribers[i];
                e.inbound = context();
                e.outbound = context();
                e.selected = new UdpPath(transport, (InetSocketAddress) sinks[i].getLocalAddress());
                subs[i] = new Subscription(stream, e, "s" + i);
                subs[i].active = true;
                e.subscriptions = new Subscription[] {subs[i]};
            }
            stream.subscribers = subs;
            ForwardingCounters counters = new ForwardingCounters();
            Forwarder forwarder = new Forwarder(new DropCounters(), counters);
            byte[] work = new byte[2048];

            // Packets 1, 2, 4, 5 cross the link; 3 is lost on it.
            for (int seq : new int[] {1, 2, 4, 5}) {
                byte[] p = rtp(seq);
                System.arraycopy(p, 0, work, 0, p.length);
                forwarder.onSrtp(link, work, 0, fromLink.protectRtp(work, 0, p.length));
            }
            for (int i = 0; i < 4; i++) {
                assertTrue(receive(aliceSink) != null && receive(bobSink) != null, "forwarded packet " + i);
            }

            // Alice asks for 3 and 4: 4 comes from the cache, 3 is asked of n1 over the link.
            int[] seqs = {3, 4};
            int n = Nack.write(work, 0, 0xA11CE, SSRC, seqs, 2);
            forwarder.onSrtp(alice, work, 0, fromAlice.protectRtcp(work, 0, n));
            byte[] resent = expect(aliceSink, "Alice's retransmission of 4");
            int k = atAlice.unprotectRtp(resent, 0, resent.length);
            assertEquals(RTX_SSRC, RtpPacket.ssrc(resent, 0));
            assertEquals(4, Rtx.originalSequenceNumber(resent, 0, k), "4 from this node's cache");
            byte[] nack = expect(linkSink, "a NACK for 3 over the link");
            k = atLink.unprotectRtcp(nack, 0, nack.length);
            assertTrue(k > 0, "an SRTCP packet over the link");
            assertEquals(RtcpPacket.RTPFB, nack[1] & 0xff);
            assertEquals(SSRC, RtcpPacket.mediaSsrc(nack, 0));
            int[] asked = new int[17];
            assertEquals(1, Nack.lostSequenceNumbers(nack, 0, k, asked));
            assertEquals(3, asked[0], "only 3 is asked of the publisher's node");
            assertEquals(1, counters.nacksForwarded());
            assertNull(receive(linkSink), "one NACK over the link");

            // n1 answers with RTX of 3: Alice gets it (as RTX from this node), Bob, who did not ask, does not.
            byte[] original = rtp(3);
            int r = Rtx.writeRtx(original, 0, original.length, work, 0, 97, RTX_SSRC, 700);
            forwarder.onSrtp(link, work, 0, fromLink.protectRtp(work, 0, r));
            resent = expect(aliceSink, "3 at Alice");
            k = atAlice.unprotectRtp(resent, 0, resent.length);
            assertEquals(RTX_SSRC, RtpPacket.ssrc(resent, 0));
            assertEquals(3, Rtx.originalSequenceNumber(resent, 0, k), "3 reaches Alice");
            assertEquals(3, resent[RtpPacket.payloadOffset(resent, 0) + Rtx.OSN_LENGTH], "with packet 3's payload");
            assertNull(receive(bobSink), "Bob did not ask");

            // The same RTX again (n1 answered twice): Alice no longer waits for 3.
            r = Rtx.writeRtx(original, 0, original.length, work, 0, 97, RTX_SSRC, 701);
            forwarder.onSrtp(link, work, 0, fromLink.protectRtp(work, 0, r));
            assertNull(receive(aliceSink), "3 reached Alice once");

            // Bob asks for 3 now: the cache has it since n1's retransmission.
            n = Nack.write(work, 0, 0xB0B, SSRC, new int[] {3}, 1);
            forwarder.onSrtp(bob, work, 0, context().protectRtcp(work, 0, n));
            resent = expect(bobSink, "3 at Bob from the cache");
            k = atBob.unprotectRtp(resent, 0, resent.length);
            assertEquals(3, Rtx.originalSequenceNumber(resent, 0, k));
            assertNull(receive(linkSink), "nothing asked over the link");
            assertEquals(1, counters.nacksForwarded());
        }
    }
}
