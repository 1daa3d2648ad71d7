package org.huisclos.media.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RtxTest {
    @Test
    void rfc4588_4_rtxPacketKeepsHeaderAndPrependsOsn() {
        byte[] original = RtpPacketTest.fullPacket(); // seq 0x1234, PT 96, padding 3, header 32
        byte[] out = new byte[100];
        int len = Rtx.writeRtx(original, 0, original.length, out, 4, 97, 0x55667788, 900);
        assertEquals(32 + 2 + 5, len);
        assertEquals(97, RtpPacket.payloadType(out, 4));
        assertEquals(900, RtpPacket.sequenceNumber(out, 4));
        assertEquals(0x55667788, RtpPacket.ssrc(out, 4));
        assertEquals(0xDEADBEEFL, RtpPacket.timestamp(out, 4));
        assertEquals(true, RtpPacket.marker(out, 4));
        assertFalse(RtpPacket.hasPadding(out, 4));
        assertEquals(2, RtpPacket.csrcCount(out, 4));
        assertArrayEquals(Arrays.copyOfRange(original, 12, 32), Arrays.copyOfRange(out, 4 + 12, 4 + 32),
                "CSRCs and extensions kept");
        assertEquals(0x12, out[4 + 32]);
        assertEquals(0x34, out[4 + 33]);
        assertEquals("hello", new String(out, 4 + 34, 5));
        assertEquals(0x1234, Rtx.originalSequenceNumber(out, 4, len));
    }

    @Test
    void rfc4588_roundTripRestoresTheOriginalWithoutPadding() {
        byte[] original = RtpPacketTest.fullPacket();
        byte[] rtx = new byte[100];
        int rtxLen = Rtx.writeRtx(original, 0, original.length, rtx, 0, 97, 0x55667788, 900);
        byte[] restored = new byte[100];
        int len = Rtx.unwrapRtx(rtx, 0, rtxLen, restored, 0, 96, 0x11223344);
        byte[] expected = Arrays.copyOf(original, original.length - 3);
        expected[0] &= ~0x20;
        assertArrayEquals(expected, Arrays.copyOf(restored, len));
    }

    @Test
    void worksInPlace() {
        byte[] original = TestPackets.simple(96, 65535, 1, 42, new byte[] {1, 2, 3});
        byte[] buf = Arrays.copyOf(original, 40);
        int rtxLen = Rtx.writeRtx(buf, 0, original.length, buf, 0, 97, 43, 1);
        assertEquals(17, rtxLen);
        assertEquals(65535, Rtx.originalSequenceNumber(buf, 0, rtxLen));
        int len = Rtx.unwrapRtx(buf, 0, rtxLen, buf, 0, 96, 42);
        assertArrayEquals(original, Arrays.copyOf(buf, len));
    }

    @Test
    void rejectsWhatCannotBeRtx() {
        byte[] probe = TestPackets.simple(97, 1, 1, 43, new byte[] {0, 0, 0, 4}); // padding only
        probe[0] |= 0x20;
        byte[] out = new byte[100];
        assertEquals(-1, Rtx.originalSequenceNumber(probe, 0, probe.length));
        assertEquals(-1, Rtx.unwrapRtx(probe, 0, probe.length, out, 0, 96, 42));
        assertEquals(-1, Rtx.writeRtx(new byte[12], 0, 12, out, 0, 97, 1, 1));
        byte[] original = TestPackets.simple(96, 1, 1, 42, new byte[10]);
        assertEquals(-1, Rtx.writeRtx(original, 0, original.length, new byte[23], 0, 97, 1, 1), "no room");
    }
}
