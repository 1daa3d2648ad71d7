package org.huisclos.media.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import org.huisclos.media.fuzz.FuzzStats;
import org.junit.jupiter.api.AfterAll;

/**
 * Jazzer target: RTP headers as the forwarder reads them after SRTP (docs/reliability.md). The packet sits
 * at an offset inside a larger buffer. An invalid packet has no RTX form and no OSN; a valid one splits
 * exactly into header, payload and padding, and its RFC 4588 retransmission unwraps to the original
 * (padding dropped, P cleared). Unwrapping the input itself as an RTX packet never throws.
 */
class RtpFuzzTargetTest {
    private static final int OFF = 3;
    private static final byte[] RTX = new byte[1600];
    private static final byte[] BACK = new byte[1600];
    private static long executions;

    @FuzzTest
    void parse(byte[] data) {
        executions++;
        int len = data.length;
        byte[] buf = new byte[OFF + len + 5];
        System.arraycopy(data, 0, buf, OFF, len);
        RtpPacket.isRtcp(buf, OFF, len);
        Rtx.unwrapRtx(buf, OFF, len, BACK, 0, 96, 0x1234);
        if (!RtpPacket.isValid(buf, OFF, len)) {
            assertEquals(-1, Rtx.originalSequenceNumber(buf, OFF, len));
            assertEquals(-1, Rtx.writeRtx(buf, OFF, len, RTX, 0, 97, 0x5678, 1));
            return;
        }
        assertEquals(2, RtpPacket.version(buf, OFF));
        int header = RtpPacket.headerLength(buf, OFF);
        int padding = RtpPacket.paddingLength(buf, OFF, len);
        int payload = RtpPacket.payloadLength(buf, OFF, len);
        assertTrue(header >= RtpPacket.FIXED_HEADER_LENGTH && payload >= 0 && padding >= 0);
        assertEquals(len, header + payload + padding);
        assertEquals(OFF + header, RtpPacket.payloadOffset(buf, OFF));
        for (int i = 0; i < RtpPacket.csrcCount(buf, OFF); i++) {
            RtpPacket.csrc(buf, OFF, i);
        }
        int x = RtpPacket.extensionHeaderOffset(buf, OFF);
        if (x >= 0) {
            assertTrue(x + 4 + RtpPacket.extensionDataLength(buf, OFF) <= OFF + header);
            RtpPacket.extensionProfile(buf, OFF);
        }
        int seq = RtpPacket.sequenceNumber(buf, OFF);
        int k = Rtx.writeRtx(buf, OFF, len, RTX, 0, 97, 0x5678, 7);
        if (header + Rtx.OSN_LENGTH + payload > RTX.length) {
            assertEquals(-1, k);
            return;
        }
        assertEquals(header + Rtx.OSN_LENGTH + payload, k);
        assertEquals(seq, Rtx.originalSequenceNumber(RTX, 0, k));
        int m = Rtx.unwrapRtx(RTX, 0, k, BACK, 0, RtpPacket.payloadType(buf, OFF), RtpPacket.ssrc(buf, OFF));
        assertEquals(header + payload, m);
        byte[] expected = Arrays.copyOfRange(buf, OFF, OFF + header + payload);
        expected[0] &= (byte) ~0x20;
        assertArrayEquals(expected, Arrays.copyOf(BACK, m), "RTX round trip");
    }

    @AfterAll
    static void report() throws Exception {
        FuzzStats.write(RtpFuzzTargetTest.class, executions);
    }
}
