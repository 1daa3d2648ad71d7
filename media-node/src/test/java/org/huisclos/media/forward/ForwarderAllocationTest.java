package org.huisclos.media.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import org.huisclos.media.sdp.Codec;
import org.huisclos.media.srtp.SrtpContext;
import org.huisclos.media.srtp.SrtpProfile;
import org.huisclos.media.transport.DropCounters;
import org.huisclos.media.transport.UdpTransport;
import org.junit.jupiter.api.Test;

/**
 * The per-packet path allocates nothing: a video packet from a publisher is decrypted, cached,
 * counted and re-encrypted for two subscribers and sent, 10,000 times, and the thread's
 * allocation counter barely moves.
 */
class ForwarderAllocationTest {
    private static final int STRIDE = 1300;
    private static final int PAYLOAD = 1150;

    @Test
    void forwardingAVideoPacketToTwoSubscribersAllocatesNothing() throws Exception {
        forward(false);
    }

    /** The same from a relay link (a stream relayed from another node) to a participant and to another link. */
    @Test
    void forwardingOverRelayLinksAllocatesNothing() throws Exception {
        forward(true);
    }

    /**
     * A simulcast layer (found by SSRC once its rid bound it) rewritten into each subscriber's stream,
     * numbered with a transport-wide sequence number and recorded in each subscriber's bandwidth estimate.
     */
    @Test
    void forwardingASimulcastLayerWithTransportNumbersAllocatesNothing() throws Exception {
        byte[] key = new byte[16];
        byte[] salt = new byte[12];
        Room room = new Room("k");
        Endpoint publisher = new Endpoint("p1", room);
        PublishedStream stream = PublishedStream.simulcast(publisher, java.util.List.of("q", "h", "f"), Codec.VP8);
        publisher.published = new PublishedStream[] {stream};
        publisher.inbound = new SrtpContext(SrtpProfile.AEAD_AES_128_GCM, key, salt);
        try (DatagramChannel sink = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
             UdpTransport transport = UdpTransport.bind(new InetSocketAddress("127.0.0.1", 0), (b, o, l, f) -> { })) {
            Subscription[] subs = new Subscription[2];
            for (int i = 0; i < subs.length; i++) {
                Endpoint subscriber = new Endpoint("s" + i, room, false, true);
                subscriber.outbound = new SrtpContext(SrtpProfile.AEAD_AES_128_GCM, key, salt);
                subscriber.selected = new org.huisclos.media.transport.UdpPath(transport,
                        (InetSocketAddress) sink.getLocalAddress());
                subs[i] = new Subscription(stream, subscriber, "s" + i);
                subs[i].active = true;
                subscriber.subscriptions = new Subscription[] {subs[i]};
            }
            stream.subscribers = subs;
            int packets = 30_000;
            byte[] wire = new byte[packets * STRIDE];
            int[] lengths = new int[packets];
            SrtpContext sender = new SrtpContext(SrtpProfile.AEAD_AES_128_GCM, key, salt);
            for (int i = 0; i < packets; i++) {
                int off = i * STRIDE;
                byte[] header = {(byte) 0x90, 96, (byte) (i >>> 8), (byte) i, 0, 0, (byte) (i >>> 8), (byte) i, 0, 0, 0x56, 0x78,
                        (byte) 0xBE, (byte) 0xDE, 0, 1, (byte) 0xA0, 'f', 0, 0, // rtp-stream-id "f"
                        (byte) 0x90, (byte) 0xC0, (byte) (0x80 | (i >>> 8) & 0x7f), (byte) i, (byte) (i >>> 4), // VP8 descriptor
                        (byte) (i == 0 ? 0x00 : 0x01), 0, 0, (byte) 0x9d, 0x01, 0x2a, 0x00, 0x05, (byte) 0xd0, 0x02};
                System.arraycopy(header, 0, wire, off, header.length);
                lengths[i] = sender.protectRtp(wire, off, header.length + PAYLOAD);
            }
            ForwardingCounters counters = new ForwardingCounters();
            Forwarder forwarder = new Forwarder(new DropCounters(), counters);
            byte[] work = new byte[2048];
            for (int i = 0; i < 20_000; i++) {
                System.arraycopy(wire, i * STRIDE, work, 0, lengths[i]);
                forwarder.onSrtp(publisher, work, 0, lengths[i]);
            }
            assertTrue(stream.announced && stream.layers[2].bound(), "the f layer bound by its rid");
            com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 20_000; i < packets; i++) {
                System.arraycopy(wire, i * STRIDE, work, 0, lengths[i]);
                forwarder.onSrtp(publisher, work, 0, lengths[i]);
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            System.out.println("forwarding 10,000 simulcast packets to 2 estimating subscribers allocated " + allocated + " bytes");
            assertEquals(2L * packets, counters.packetsOut(), "every packet sent to both subscribers: " + counters.packetsOut());
            assertEquals(packets, subs[0].subscriber.transportSequence, "each numbered for the subscriber's estimate");
            assertTrue(allocated < 64 * 1024, "10,000 forwarded packets allocated " + allocated + " bytes");
        }
    }

    private void forward(boolean relay) throws Exception {
        byte[] key = new byte[16];
        byte[] salt = new byte[12];
        Room room = new Room("k");
        Endpoint publisher = new Endpoint("p1", room, relay);
        org.huisclos.media.relay.LinkStats in = new org.huisclos.media.relay.LinkStats("0123456789012345678901");
        org.huisclos.media.relay.LinkStats out = new org.huisclos.media.relay.LinkStats("0123456789012345678901");
        if (relay) {
            publisher.linkHook = in;
        }
        PublishedStream stream = new PublishedStream(publisher, "video", 0x1234, 0x5678, Codec.VP8);
        publisher.published = new PublishedStream[] {stream};
        publisher.inbound = new SrtpContext(SrtpProfile.AEAD_AES_128_GCM, key, salt);

        try (DatagramChannel sink = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
             UdpTransport transport = UdpTransport.bind(new InetSocketAddress("127.0.0.1", 0), (b, o, l, f) -> { })) {
            Subscription[] subs = new Subscription[2];
            for (int i = 0; i < subs.length; i++) {
                Endpoint subscriber = new Endpoint("s" + i, room, relay && i == 1);
                if (relay && i == 1) {
                    subscriber.linkHook = out;
                }
                subscriber.outbound = new SrtpContext(SrtpProfile.AEAD_AES_128_GCM, key, salt);
                subscriber.selected = new org.huisclos.media.transport.UdpPath(transport,
                        (InetSocketAddress) sink.getLocalAddress());
                subs[i] = new Subscription(stream, subscriber, "s" + i);
                subs[i].active = true;
                subscriber.subscriptions = new Subscription[] {subs[i]};
            }
            stream.subscribers = subs;

            int packets = 30_000;
            byte[] wire = new byte[packets * STRIDE];
            int[] lengths = new int[packets];
            SrtpContext sender = new SrtpContext(SrtpProfile.AEAD_AES_128_GCM, key, salt);
            for (int i = 0; i < packets; i++) {
                int off = i * STRIDE;
                wire[off] = (byte) 0x80;
                wire[off + 1] = (byte) 96;
                wire[off + 2] = (byte) (i >>> 8);
                wire[off + 3] = (byte) i;
                wire[off + 7] = (byte) i;
                wire[off + 10] = 0x12;
                wire[off + 11] = 0x34;
                lengths[i] = sender.protectRtp(wire, off, 12 + PAYLOAD);
            }
            ForwardingCounters counters = new ForwardingCounters();
            Forwarder forwarder = new Forwarder(new DropCounters(), counters);
            byte[] work = new byte[2048];
            for (int i = 0; i < 20_000; i++) {
                System.arraycopy(wire, i * STRIDE, work, 0, lengths[i]);
                forwarder.onSrtp(publisher, work, 0, lengths[i]);
            }
            com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 20_000; i < packets; i++) {
                System.arraycopy(wire, i * STRIDE, work, 0, lengths[i]);
                forwarder.onSrtp(publisher, work, 0, lengths[i]);
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            System.out.println("forwarding 10,000 packets to 2 subscribers" + (relay ? " over relay links" : "") + " allocated " + allocated + " bytes");
            assertEquals(packets, counters.packetsIn(), "every packet was accepted");
            assertEquals(2L * packets, counters.packetsOut(), "and sent to both subscribers");
            assertTrue(allocated < 64 * 1024, "10,000 forwarded packets allocated " + allocated + " bytes");
            if (relay) {
                assertEquals(packets, in.rtpPacketsIn(), "counted on the incoming link");
                assertEquals(packets, out.rtpPacketsOut(), "counted on the outgoing link");
            }
        }
    }
}
