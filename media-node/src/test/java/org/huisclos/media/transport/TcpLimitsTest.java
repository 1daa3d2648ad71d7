package org.huisclos.media.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The ICE-TCP port's bounds (issue 13, item 7), on 127.0.0.1: connections per address and in
 * total, the deadline for a first STUN check, small buffers until it, and a connection whose
 * handling throws an Error costs that connection only.
 */
class TcpLimitsTest {
    /** First byte of a packet the test handler takes as a passed STUN check. */
    private static final byte CHECK = 0x01;
    /** First byte of a packet that makes the test handler throw an Error. */
    private static final byte FAIL = 0x66;

    private final DropCounters drops = new DropCounters();
    private final TcpRefusals refusals = new TcpRefusals();
    private final ConcurrentLinkedQueue<Byte> received = new ConcurrentLinkedQueue<>();
    private final AtomicReference<TcpConnection> lastChecked = new AtomicReference<>();
    private final AtomicReference<TcpConnection> lastSeen = new AtomicReference<>();
    private final List<Socket> clients = new ArrayList<>();
    private TcpTransport transport;

    private final TcpPacketHandler handler = (buf, off, len, from) -> {
        if (buf[off] == FAIL) {
            throw new OutOfMemoryError("thrown by the test handler");
        }
        lastSeen.set(from);
        if (buf[off] == CHECK) {
            from.endpoint = "checked"; // as the demultiplexer does when a STUN check passes
            lastChecked.set(from);
        }
        received.add(buf[off]);
    };

    private TcpTransport bind(int total, int perAddress, int timeoutMillis) throws IOException {
        transport = TcpTransport.bind(new InetSocketAddress("127.0.0.1", 0), handler, drops,
                TcpLimits.of(total, perAddress, timeoutMillis), refusals);
        return transport;
    }

    private Socket connect() throws IOException {
        Socket s = new Socket("127.0.0.1", transport.port());
        clients.add(s);
        return s;
    }

    @AfterEach
    void close() throws IOException {
        for (Socket s : clients) {
            s.close();
        }
        if (transport != null) {
            transport.close();
        }
    }

    private static void send(Socket s, byte first, int len) throws IOException {
        byte[] frame = new byte[2 + len];
        frame[0] = (byte) (len >>> 8);
        frame[1] = (byte) len;
        frame[2] = first;
        OutputStream out = s.getOutputStream();
        out.write(frame);
        out.flush();
    }

    /** Whether the node closed this connection: a read sees the end of the stream (or a reset). */
    private static boolean closedByNode(Socket s) {
        try {
            s.setSoTimeout(1);
            return s.getInputStream().read() < 0;
        } catch (SocketTimeoutException open) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after 5 s waiting for: " + what);
            }
            Thread.sleep(5);
        }
    }

    private long closedCount() {
        return clients.stream().filter(TcpLimitsTest::closedByNode).count();
    }

    @Test
    void fiftyConnectionsFromOneAddressKeepOnlyTheCap() throws Exception {
        bind(1000, 8, 60_000);
        for (int i = 0; i < 50; i++) {
            connect();
        }
        await("42 connections refused", () -> refusals.count(TcpRefusal.PER_ADDRESS_LIMIT) == 42);
        await("42 connections closed", () -> closedCount() == 42);
        assertEquals(8, transport.connectionCount());
        assertEquals(0, refusals.count(TcpRefusal.CONNECTION_LIMIT));

        // A checked connection no longer counts against its address (many participants may share a NAT address).
        Socket open = clients.stream().filter(s -> !closedByNode(s)).findFirst().orElseThrow();
        send(open, CHECK, 20);
        await("the check", () -> lastChecked.get() != null);
        Socket ninth = connect();
        await("a ninth connection accepted", () -> transport.connectionCount() == 9);
        assertFalse(closedByNode(ninth));
        assertEquals(42, refusals.count(TcpRefusal.PER_ADDRESS_LIMIT));
    }

    @Test
    void theTotalCapClosesTheRest() throws Exception {
        bind(5, 5, 60_000);
        for (int i = 0; i < 12; i++) {
            connect();
        }
        await("7 connections refused", () -> refusals.count(TcpRefusal.CONNECTION_LIMIT) == 7);
        await("7 connections closed", () -> closedCount() == 7);
        assertEquals(5, transport.connectionCount());
    }

    @Test
    void aConnectionWithoutACheckIsClosedAtTheDeadline() throws Exception {
        bind(1000, 8, 500);
        Socket idle = connect();
        Socket talking = connect();
        send(talking, (byte) 0x80, 100); // frames, but never a passed check
        Socket checked = connect();
        send(checked, CHECK, 100);
        long start = System.nanoTime();
        await("the idle and the unchecked connection closed", () -> closedByNode(idle) && closedByNode(talking));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis < 2000, "closed after " + millis + " ms");
        assertEquals(2, refusals.count(TcpRefusal.CHECK_TIMEOUT));
        assertFalse(closedByNode(checked), "a checked connection stays");
        await("one connection left", () -> transport.connectionCount() == 1); // closed before it is forgotten
    }

    @Test
    void anUncheckedConnectionHoldsASmallBufferUntilItsCheck() throws Exception {
        bind(1000, 8, 60_000);
        Socket s = connect();
        send(s, (byte) 0x80, FrameReader.MAX_PACKET); // the largest frame fits the small buffer
        await("the frame", () -> received.size() == 1);
        assertEquals(0, drops.count(DropReason.TCP_BAD_FRAMING));
        assertNull(lastChecked.get());
        TcpConnection unchecked = lastSeen.get();
        assertEquals(FrameReader.SMALL_BYTES, unchecked.reader.capacity(), "a small frame buffer before the check");
        assertFalse(unchecked.hasOutputBuffer(), "no direct output buffer before the check");
        send(s, CHECK, 100);
        await("the check", () -> lastChecked.get() != null);
        TcpConnection c = lastChecked.get();
        await("the full buffer", () -> c.reader.capacity() == FrameReader.FULL_BYTES);
        SendBuffer out = new SendBuffer();
        c.send(out, 100);
        assertTrue(c.hasOutputBuffer());
        byte[] head = s.getInputStream().readNBytes(2);
        assertEquals(100, ((head[0] & 0xff) << 8) | (head[1] & 0xff));
    }

    @Test
    void anErrorFromOneConnectionClosesItAndTheOthersAreServed() throws Exception {
        bind(1000, 8, 60_000);
        Socket bad = connect();
        Socket good = connect();
        send(bad, FAIL, 10);
        await("the bad connection closed", () -> closedByNode(bad));
        assertEquals(1, refusals.count(TcpRefusal.HANDLER_FAILED));
        send(good, CHECK, 10);
        await("the good connection served", () -> lastChecked.get() != null);
        assertTrue(transport.isOpen());
        Socket later = connect();
        send(later, (byte) 0x80, 10);
        await("a later connection served", () -> received.size() == 2);
        assertNotNull(lastChecked.get());
    }
}
