package org.huisclos.media.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The ICE-TCP port on its own: framing both ways, back-pressure, closing, and allocation per packet. */
class TcpTransportTest {
    private final DropCounters drops = new DropCounters();
    private final AtomicReference<TcpConnection> connection = new AtomicReference<>();
    private final ConcurrentLinkedQueue<byte[]> received = new ConcurrentLinkedQueue<>();
    private final AtomicLong count = new AtomicLong();
    private final CountDownLatch closed = new CountDownLatch(1);
    private boolean keep = true;

    private final TcpPacketHandler handler = new TcpPacketHandler() {
        @Override
        public void onPacket(byte[] buf, int off, int len, TcpConnection from) {
            connection.set(from);
            from.endpoint = "checked"; // as if a STUN check passed: the sweep keeps it
            count.incrementAndGet();
            if (keep) {
                received.add(Arrays.copyOfRange(buf, off, off + len));
            }
        }

        @Override
        public void onClosed(TcpConnection c) {
            closed.countDown();
        }
    };

    private static void writeFramed(SocketChannel ch, byte[] packet, int times) throws IOException {
        ByteBuffer b = ByteBuffer.allocate((2 + packet.length) * times);
        for (int i = 0; i < times; i++) {
            b.putShort((short) packet.length).put(packet);
        }
        b.flip();
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    private static void awaitTrue(String what, java.util.function.BooleanSupplier c) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
    }

    @Test
    void packetsBothWaysAreFramedAndAPeerCloseIsSeen() throws Exception {
        try (TcpTransport t = TcpTransport.bind(new InetSocketAddress("127.0.0.1", 0), handler, drops);
             SocketChannel client = SocketChannel.open(new InetSocketAddress("127.0.0.1", t.port()))) {
            byte[] p = new byte[] {0, 1, 0, 0, 33, 18, (byte) 0xa4, 0x42};
            writeFramed(client, p, 3);
            awaitTrue("3 packets", () -> received.size() == 3);
            assertArrayEquals(p, received.peek());
            TcpConnection c = connection.get();
            assertEquals(client.getLocalAddress(), c.remoteAddress());

            SendBuffer out = new SendBuffer();
            for (int i = 0; i < 1200; i++) {
                out.bytes[i] = (byte) i;
            }
            c.send(out, 1200);
            c.send(out, 5);
            DataInputStream in = new DataInputStream(client.socket().getInputStream());
            assertEquals(1200, in.readUnsignedShort());
            byte[] got = new byte[1200];
            in.readFully(got);
            assertArrayEquals(Arrays.copyOf(out.bytes, 1200), got);
            assertEquals(5, in.readUnsignedShort());
            in.readFully(new byte[5]);

            client.close();
            assertTrue(closed.await(5, TimeUnit.SECONDS), "the node saw the close");
            assertTrue(!c.isOpen());
        }
    }

    @Test
    void aPeerThatDoesNotReadCostsDropsNotABlockedThread() throws Exception {
        try (TcpTransport t = TcpTransport.bind(new InetSocketAddress("127.0.0.1", 0), handler, drops);
             SocketChannel client = SocketChannel.open(new InetSocketAddress("127.0.0.1", t.port()))) {
            writeFramed(client, new byte[] {0, 1}, 1);
            awaitTrue("the connection", () -> connection.get() != null);
            TcpConnection c = connection.get();
            SendBuffer out = new SendBuffer();
            long start = System.nanoTime();
            for (int i = 0; i < 20_000; i++) {
                c.send(out, 1200); // 24 MB at a peer that reads nothing
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis < 5000, "sending took " + millis + " ms: it blocked");
            assertTrue(drops.count(DropReason.TCP_BACKPRESSURE) > 10_000,
                    "dropped " + drops.count(DropReason.TCP_BACKPRESSURE));
            assertTrue(c.isOpen(), "a slow reader is not disconnected");
        }
    }

    @Test
    void sendingAndReceivingAllocateNothingPerPacket() throws Exception {
        keep = false;
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (TcpTransport t = TcpTransport.bind(new InetSocketAddress("127.0.0.1", 0), handler, drops);
             SocketChannel client = SocketChannel.open(new InetSocketAddress("127.0.0.1", t.port()))) {
            byte[] packet = new byte[1200];
            packet[0] = (byte) 0x80;
            writeFramed(client, packet, 1000); // warm-up
            awaitTrue("warm-up", () -> count.get() == 1000);
            Thread io = Thread.getAllStackTraces().keySet().stream().filter(th -> th.getName().equals("media-tcp"))
                    .filter(th -> th.isAlive()).findFirst().orElse(null);
            assertNotNull(io);
            long ioBefore = threads.getThreadAllocatedBytes(io.getId());
            long start = System.nanoTime();
            writeFramed(client, packet, 20_000);
            awaitTrue("20,000 packets", () -> count.get() == 21_000);
            double seconds = (System.nanoTime() - start) / 1e9;
            long ioAllocated = threads.getThreadAllocatedBytes(io.getId()) - ioBefore;
            System.out.printf("[tcp-transport] received 20,000 framed 1200-byte packets in %.0f ms (%.0f packets/s),"
                    + " the TCP I/O thread allocated %d bytes%n", seconds * 1000, 20_000 / seconds, ioAllocated);
            assertTrue(ioAllocated < 64 * 1024, "receiving allocated " + ioAllocated + " bytes");

            // Sending: a reader drains the client side while this thread sends 20,000 packets.
            TcpConnection c = connection.get();
            Thread drain = new Thread(() -> {
                ByteBuffer sink = ByteBuffer.allocate(1 << 16);
                try {
                    while (client.read(sink.clear()) >= 0) {
                        // discard
                    }
                } catch (IOException ignored) {
                    // closed
                }
            });
            drain.setDaemon(true);
            drain.start();
            SendBuffer out = new SendBuffer();
            for (int i = 0; i < 2000; i++) {
                c.send(out, 1200);
            }
            long before = threads.getCurrentThreadAllocatedBytes();
            long dropsBefore = drops.count(DropReason.TCP_BACKPRESSURE);
            start = System.nanoTime();
            for (int i = 0; i < 20_000; i++) {
                c.send(out, 1200);
            }
            seconds = (System.nanoTime() - start) / 1e9;
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            System.out.printf("[tcp-transport] sent 20,000 1200-byte packets in %.0f ms (%.0f packets/s, %d dropped"
                            + " for back-pressure), allocating %d bytes%n", seconds * 1000, 20_000 / seconds,
                    drops.count(DropReason.TCP_BACKPRESSURE) - dropsBefore, allocated);
            assertTrue(allocated < 64 * 1024, "sending allocated " + allocated + " bytes");
        }
    }

    @Test
    void aSharedSelectorReadsUdpOnTheSameThreadAllocatingNothingAndSurvivesAnError() throws Exception {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        java.util.Set<String> udpThreads = java.util.concurrent.ConcurrentHashMap.newKeySet();
        java.util.Set<String> tcpThreads = java.util.concurrent.ConcurrentHashMap.newKeySet();
        AtomicLong datagrams = new AtomicLong();
        PacketHandler udpHandler = (buf, off, len, from) -> {
            if (buf[off] == 0x66) {
                throw new OutOfMemoryError("thrown by the test handler");
            }
            if (datagrams.incrementAndGet() == 1) {
                udpThreads.add(Thread.currentThread().getName());
            }
        };
        TcpPacketHandler tcpHandler = (buf, off, len, from) -> tcpThreads.add(Thread.currentThread().getName());
        try (UdpTransport udp = UdpTransport.open(new InetSocketAddress("127.0.0.1", 0), udpHandler, new DropCounters());
             TcpTransport t = TcpTransport.bind(new InetSocketAddress("127.0.0.1", 0), tcpHandler, drops,
                     TcpLimits.DEFAULT, new TcpRefusals(), udp);
             SocketChannel client = SocketChannel.open(new InetSocketAddress("127.0.0.1", t.port()));
             java.nio.channels.DatagramChannel sender = java.nio.channels.DatagramChannel.open()) {
            InetSocketAddress to = new InetSocketAddress("127.0.0.1", udp.port());
            sender.send(ByteBuffer.wrap(new byte[] {0x66, 1, 2}), to); // an Error in the handler: that datagram only
            ByteBuffer datagram = ByteBuffer.allocate(1200);
            datagram.put(0, (byte) 0x80);
            sender.send(datagram.clear(), to);
            writeFramed(client, new byte[] {0, 1, 0, 0}, 1);
            awaitTrue("a datagram after the Error, and a TCP packet", () -> datagrams.get() == 1 && !tcpThreads.isEmpty());
            assertEquals(java.util.Set.of("media-io"), udpThreads);
            assertEquals(udpThreads, tcpThreads, "UDP and ICE-TCP are read on one thread");

            Thread io = Thread.getAllStackTraces().keySet().stream().filter(th -> th.getName().equals("media-io"))
                    .filter(Thread::isAlive).findFirst().orElse(null);
            assertNotNull(io);
            for (int round = 0; round < 50; round++) { // warm-up
                sender.send(datagram.clear(), to);
            }
            awaitTrue("warm-up", () -> datagrams.get() == 51);
            long before = threads.getThreadAllocatedBytes(io.getId());
            long start = System.nanoTime();
            for (int round = 0; round < 200; round++) {
                for (int i = 0; i < 100; i++) {
                    sender.send(datagram.clear(), to);
                }
                long expected = 51 + (round + 1) * 100L;
                awaitTrue("round " + round, () -> datagrams.get() == expected);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long allocated = threads.getThreadAllocatedBytes(io.getId()) - before;
            System.out.printf("[tcp-transport] the shared selector received 20,000 1200-byte datagrams in %.0f ms,"
                    + " its thread allocated %d bytes%n", seconds * 1000, allocated);
            assertTrue(allocated < 64 * 1024, "receiving UDP on the selector allocated " + allocated + " bytes");
        }
    }
}
