package org.huisclos.media.rtp;

import static org.huisclos.media.rtp.TestPackets.bytes;
import static org.huisclos.media.rtp.TestPackets.concat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RtpPacketTest {
    static final int OFF = 7;

    /** V=2 P=1 X=1 CC=2, M=1 PT=96, two CSRCs, a one-byte extension block, 5 payload bytes, 3 padding. */
    static byte[] fullPacket() {
        return concat(
                bytes(0xB2, 0xE0, 0x12, 0x34),
                bytes(0xDE, 0xAD, 0xBE, 0xEF),
                bytes(0x11, 0x22, 0x33, 0x44),
                bytes(0xAA, 0xAA, 0xAA, 0xAA, 0xBB, 0xBB, 0xBB, 0xBB),
                bytes(0xBE, 0xDE, 0x00, 0x02),
                bytes(0x10, 0x85, 0x33, 1, 2, 3, 4, 0x00), // id1 len1 (audio level), id3 len4, pad
                bytes('h', 'e', 'l', 'l', 'o'),
                bytes(0, 0, 3));
    }

    @Test
    void rfc3550_5_1_fixedHeaderCsrcsExtensionAndPadding() {
        byte[] p = fullPacket();
        byte[] b = TestPackets.embed(p, OFF, 9);
        assertEquals(40, p.length);
        assertTrue(RtpPacket.isValid(b, OFF, p.length));
        assertEquals(2, RtpPacket.version(b, OFF));
        assertTrue(RtpPacket.hasPadding(b, OFF));
        assertTrue(RtpPacket.hasExtension(b, OFF));
        assertEquals(2, RtpPacket.csrcCount(b, OFF));
        assertTrue(RtpPacket.marker(b, OFF));
        assertEquals(96, RtpPacket.payloadType(b, OFF));
        assertEquals(0x1234, RtpPacket.sequenceNumber(b, OFF));
        assertEquals(0xDEADBEEFL, RtpPacket.timestamp(b, OFF));
        assertEquals(0x11223344, RtpPacket.ssrc(b, OFF));
        assertEquals(0xBBBBBBBB, RtpPacket.csrc(b, OFF, 1));
        assertEquals(0xBEDE, RtpPacket.extensionProfile(b, OFF));
        assertEquals(8, RtpPacket.extensionDataLength(b, OFF));
        assertEquals(32, RtpPacket.headerLength(b, OFF));
        assertEquals(OFF + 32, RtpPacket.payloadOffset(b, OFF));
        assertEquals(5, RtpPacket.payloadLength(b, OFF, p.length));
        assertEquals(3, RtpPacket.paddingLength(b, OFF, p.length));
        assertEquals("hello", new String(b, RtpPacket.payloadOffset(b, OFF), 5));
    }

    @Test
    void settersRewriteOnlyTheirField() {
        byte[] b = TestPackets.embed(fullPacket(), OFF, 0);
        byte[] before = b.clone();
        RtpPacket.setPayloadType(b, OFF, 111);
        RtpPacket.setSequenceNumber(b, OFF, 65535);
        RtpPacket.setTimestamp(b, OFF, 0xFFFFFFFFL);
        RtpPacket.setSsrc(b, OFF, -2);
        assertTrue(RtpPacket.marker(b, OFF), "PT setter keeps the marker");
        RtpPacket.setMarker(b, OFF, false);
        assertEquals(111, RtpPacket.payloadType(b, OFF));
        assertFalse(RtpPacket.marker(b, OFF));
        assertEquals(65535, RtpPacket.sequenceNumber(b, OFF));
        assertEquals(0xFFFFFFFFL, RtpPacket.timestamp(b, OFF));
        assertEquals(-2, RtpPacket.ssrc(b, OFF));
        assertArrayEquals(Arrays.copyOfRange(before, OFF + 12, before.length),
                Arrays.copyOfRange(b, OFF + 12, b.length));
        assertEquals(before[OFF], b[OFF]);
    }

    @Test
    void rfcA1_invalidHeadersAreRejected() {
        byte[] p = fullPacket();
        assertFalse(RtpPacket.isValid(p, 0, 11), "shorter than the fixed header");
        assertFalse(RtpPacket.isValid(p, 0, 16), "CSRC list past the end");
        assertFalse(RtpPacket.isValid(p, 0, 26), "extension header past the end");
        assertFalse(RtpPacket.isValid(p, 0, 30), "extension data past the end");
        assertFalse(RtpPacket.isValid(p, 0, 41), "len past the array");
        byte[] v1 = p.clone();
        v1[0] = (byte) 0x72;
        assertFalse(RtpPacket.isValid(v1, 0, v1.length), "version 1");
        byte[] zeroPad = p.clone();
        zeroPad[39] = 0;
        assertFalse(RtpPacket.isValid(zeroPad, 0, zeroPad.length), "padding count 0");
        byte[] bigPad = p.clone();
        bigPad[39] = 9;
        assertFalse(RtpPacket.isValid(bigPad, 0, bigPad.length), "padding eats the header");
        bigPad[39] = 8;
        assertTrue(RtpPacket.isValid(bigPad, 0, bigPad.length), "padding may take the whole payload");
        assertEquals(0, RtpPacket.payloadLength(bigPad, 0, bigPad.length));
    }

    @Test
    void rfc5761_4_demultiplexesRtcpByPacketType() {
        byte[] b = new byte[12];
        b[0] = (byte) 0x80;
        for (int pt : new int[] {192, 200, 201, 205, 206, 223}) {
            b[1] = (byte) pt;
            assertTrue(RtpPacket.isRtcp(b, 0, 12), "PT " + pt);
        }
        for (int second : new int[] {0, 96, 111, 127, 0x80 | 96, 0x80 | 0, 224, 255}) {
            b[1] = (byte) second;
            assertFalse(RtpPacket.isRtcp(b, 0, 12), "second byte " + second);
        }
    }
}
