package org.huisclos.media.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** RFC 4571 framing as ICE-TCP uses it (RFC 6544 §3): a 2-byte big-endian length before every packet. */
class FrameReaderTest {
    private final List<byte[]> frames = new ArrayList<>();
    private final FrameReader.Sink sink = (buf, off, len) -> frames.add(Arrays.copyOfRange(buf, off, off + len));

    static byte[] framed(byte[]... packets) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : packets) {
            out.write(p.length >>> 8);
            out.write(p.length);
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static byte[] packet(int len, int seed) {
        byte[] p = new byte[len];
        new Random(seed).nextBytes(p);
        return p;
    }

    @Test
    void severalPacketsInOneRead() {
        byte[] a = packet(20, 1);
        byte[] b = packet(1200, 2);
        byte[] c = packet(1, 3);
        assertTrue(new FrameReader().feed(framed(a, b, c), 0, framed(a, b, c).length, sink));
        assertEquals(3, frames.size());
        assertArrayEquals(a, frames.get(0));
        assertArrayEquals(b, frames.get(1));
        assertArrayEquals(c, frames.get(2));
    }

    @Test
    void packetsSplitAcrossReadsAtEveryByte() {
        byte[] a = packet(100, 4);
        byte[] b = packet(FrameReader.MAX_PACKET, 5);
        byte[] wire = framed(a, b, a);
        for (int cut = 1; cut < wire.length; cut += 7) {
            frames.clear();
            FrameReader r = new FrameReader();
            assertTrue(r.feed(wire, 0, cut, sink));
            assertTrue(r.feed(wire, cut, wire.length - cut, sink));
            assertEquals(3, frames.size(), "cut at " + cut);
            assertArrayEquals(b, frames.get(1), "cut at " + cut);
            assertArrayEquals(a, frames.get(2), "cut at " + cut);
        }
    }

    @Test
    void oneByteAtATime() {
        byte[] wire = framed(packet(300, 6), packet(2, 7));
        FrameReader r = new FrameReader();
        for (int i = 0; i < wire.length; i++) {
            assertTrue(r.feed(wire, i, 1, sink));
        }
        assertEquals(2, frames.size());
        assertEquals(300, frames.get(0).length);
    }

    @Test
    void aLengthAboveTheLargestPacketClosesTheConnection() {
        byte[] wire = new byte[] {(byte) ((FrameReader.MAX_PACKET + 1) >>> 8), (byte) (FrameReader.MAX_PACKET + 1), 1, 2};
        assertFalse(new FrameReader().feed(wire, 0, wire.length, sink));
        assertTrue(frames.isEmpty());
        byte[] max = new byte[] {(byte) 0xff, (byte) 0xff};
        assertFalse(new FrameReader().feed(max, 0, 2, sink));
    }

    @Test
    void aZeroLengthClosesTheConnection() {
        byte[] wire = framed(packet(10, 8), new byte[0]);
        assertFalse(new FrameReader().feed(wire, 0, wire.length, sink));
        assertEquals(1, frames.size(), "the good packet before it was handed on");
    }

    @Test
    void garbageIsRefused() {
        byte[] http = "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        assertFalse(new FrameReader().feed(http, 0, http.length, sink), "'GE' = 18245 bytes is too long");
        assertTrue(frames.isEmpty());
        Random random = new Random(9);
        for (int i = 0; i < 1000; i++) {
            byte[] junk = packet(1 + random.nextInt(5000), i);
            FrameReader r = new FrameReader();
            r.feed(junk, 0, junk.length, (buf, off, len) -> assertTrue(len >= 1 && len <= FrameReader.MAX_PACKET));
        }
    }

    @Test
    void anIncompleteFrameWaits() {
        byte[] wire = framed(packet(500, 10));
        FrameReader r = new FrameReader();
        assertTrue(r.feed(wire, 0, wire.length - 1, sink));
        assertTrue(frames.isEmpty());
        assertTrue(r.feed(wire, wire.length - 1, 1, sink));
        assertEquals(1, frames.size());
    }
}
