package org.huisclos.media.rtp;

import static org.huisclos.media.rtp.TestPackets.bytes;
import static org.huisclos.media.rtp.TestPackets.concat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HeaderExtensionsTest {
    static final byte[] HEADER = bytes(0x90, 96, 0, 1, 0, 0, 0, 1, 0, 0, 0, 2);

    static byte[] twoBytePacket() {
        return concat(HEADER,
                bytes(0x10, 0x00, 0x00, 0x03),
                bytes(0x01, 0x00, 0x00),        // id 1, empty (allowed in two-byte form), one padding byte
                bytes(0x20, 0x04, 9, 8, 7, 6),  // id 32, 4 bytes
                bytes(0x05, 0x01, 0x42),        // id 5, 1 byte
                bytes(0xAB));                   // payload
    }

    @Test
    void rfc8285_4_2_oneByteElements() {
        byte[] p = RtpPacketTest.fullPacket();
        long loc = HeaderExtensions.locate(p, 0, p.length, 3);
        assertEquals(27, HeaderExtensions.dataOffset(loc));
        assertEquals(4, HeaderExtensions.dataLength(loc));
        assertEquals(25, HeaderExtensions.find(p, 0, p.length, 1));
        assertEquals(-1, HeaderExtensions.find(p, 0, p.length, 2));
        assertEquals(-1, HeaderExtensions.find(p, 0, p.length, 0), "id 0 is padding, never an element");
    }

    @Test
    void rfc6464_audioLevel() {
        byte[] p = RtpPacketTest.fullPacket();
        int raw = HeaderExtensions.findAudioLevel(p, 0, p.length, 1);
        assertEquals(0x85, raw);
        assertTrue(HeaderExtensions.voiceActivity(raw));
        assertEquals(5, HeaderExtensions.audioLevel(raw));
        assertEquals(-1, HeaderExtensions.findAudioLevel(p, 0, p.length, 4));
    }

    @Test
    void rfc8285_4_2_id15StopsParsing() {
        byte[] p = RtpPacketTest.fullPacket();
        p[24] = (byte) 0xF0; // the first element becomes id 15
        assertEquals(-1, HeaderExtensions.find(p, 0, p.length, 3));
    }

    @Test
    void rfc8285_4_3_twoByteElements() {
        byte[] p = twoBytePacket();
        int off = 3;
        byte[] b = TestPackets.embed(p, off, 4);
        assertTrue(RtpPacket.isValid(b, off, p.length));
        long empty = HeaderExtensions.locate(b, off, p.length, 1);
        assertEquals(0, HeaderExtensions.dataLength(empty));
        long id32 = HeaderExtensions.locate(b, off, p.length, 32);
        assertEquals(off + 21, HeaderExtensions.dataOffset(id32));
        assertEquals(4, HeaderExtensions.dataLength(id32));
        assertEquals(9, b[HeaderExtensions.dataOffset(id32)]);
        assertEquals(0x42, b[HeaderExtensions.find(b, off, p.length, 5)]);
        assertEquals(-1, HeaderExtensions.find(b, off, p.length, 6));
    }

    @Test
    void rfc8285_malformedBlocksFindNothing() {
        byte[] p = twoBytePacket();
        p[20] = 30; // id 32 claims 30 bytes
        assertEquals(-1, HeaderExtensions.find(p, 0, p.length, 5));
        byte[] q = RtpPacketTest.fullPacket();
        q[23] = 40; // extension length beyond the packet
        assertEquals(-1, HeaderExtensions.find(q, 0, q.length, 1));
        byte[] noExt = TestPackets.simple(96, 1, 1, 1, bytes(1, 2));
        assertEquals(-1, HeaderExtensions.find(noExt, 0, noExt.length, 1));
    }

    @Test
    void rfc8285_rewriteIdsOneByte() {
        byte[] p = RtpPacketTest.fullPacket();
        byte[] map = new byte[16];
        map[1] = 7;
        map[3] = 2;
        HeaderExtensions.rewriteIds(p, 0, p.length, map);
        assertEquals(25, HeaderExtensions.find(p, 0, p.length, 7));
        assertEquals(27, HeaderExtensions.find(p, 0, p.length, 2));
        assertEquals(-1, HeaderExtensions.find(p, 0, p.length, 1));
        assertEquals(4, HeaderExtensions.dataLength(HeaderExtensions.locate(p, 0, p.length, 2)), "L kept");
        assertEquals(0, p[31], "padding untouched");
    }

    @Test
    void rfc8285_rewriteIdsStripsUnmappedAndKeepsOthers() {
        byte[] p = twoBytePacket();
        byte[] map = new byte[64];
        map[1] = 1;
        map[32] = 0;  // strip
        map[5] = 40;
        HeaderExtensions.rewriteIds(p, 0, p.length, map);
        assertEquals(-1, HeaderExtensions.find(p, 0, p.length, 32));
        assertEquals(0x42, p[HeaderExtensions.find(p, 0, p.length, 40)]);
        assertFalse(HeaderExtensions.locate(p, 0, p.length, 1) < 0);
        assertTrue(RtpPacket.isValid(p, 0, p.length));
        assertEquals((byte) 0xAB, p[p.length - 1], "payload untouched");
    }

    @Test
    void rewriteIdsOneByteRejectsIdsThatDoNotFit() {
        byte[] p = RtpPacketTest.fullPacket();
        byte[] map = new byte[16];
        map[1] = 15; // not representable as a one-byte element id: stripped rather than corrupting
        map[3] = 3;
        HeaderExtensions.rewriteIds(p, 0, p.length, map);
        assertEquals(-1, HeaderExtensions.find(p, 0, p.length, 1));
        assertEquals(27, HeaderExtensions.find(p, 0, p.length, 3));
    }
}
