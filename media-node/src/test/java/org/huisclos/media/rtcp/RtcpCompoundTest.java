package org.huisclos.media.rtcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.huisclos.media.rtp.ReceiveStatistics;
import org.junit.jupiter.api.Test;

class RtcpCompoundTest {
    static final int ME = 0x01020304;
    static final int PEER = 0x0A0B0C0D;
    static final long NTP = 0x83AA7E80_C0000000L;

    final byte[] buf = new byte[1500];
    final RtcpIterator it = new RtcpIterator();

    /** RFC 3550 §6.5: SDES with one chunk, a CNAME item "ab", then a null and padding to the word. */
    static final byte[] SDES_CNAME_AB = {(byte) 0x81, (byte) 0xCA, 0, 3, 1, 2, 3, 4, 1, 2, 'a', 'b', 0, 0, 0, 0};

    @Test
    void rfc3550_6_4_1_senderReportAndSdesCompound() {
        int off = 3;
        int len = SenderReport.write(buf, off, ME, NTP, 0xFFFFFFF0L, 1234, 567890);
        System.arraycopy(SDES_CNAME_AB, 0, buf, off + len, SDES_CNAME_AB.length);
        len += SDES_CNAME_AB.length;

        it.reset(buf, off, len);
        assertTrue(it.next());
        assertEquals(RtcpPacket.SR, it.packetType());
        assertEquals(0, it.count());
        assertEquals(28, it.length());
        assertTrue(SenderReport.isValid(buf, it.offset(), it.length()));
        assertEquals(ME, it.senderSsrc());
        assertEquals(NTP, SenderReport.ntpTimestamp(buf, it.offset()));
        assertEquals(0x7E80C000L, SenderReport.ntpMiddle32(buf, it.offset()));
        assertEquals(0xFFFFFFF0L, SenderReport.rtpTimestamp(buf, it.offset()));
        assertEquals(1234, SenderReport.packetCount(buf, it.offset()));
        assertEquals(567890, SenderReport.octetCount(buf, it.offset()));

        assertTrue(it.next());
        assertEquals(RtcpPacket.SDES, it.packetType());
        assertEquals(1, it.count());
        assertEquals(ME, it.senderSsrc());
        assertEquals(16, it.length());

        assertFalse(it.next());
        assertFalse(it.malformed());
    }

    @Test
    void rfc4585_receiverReportPliAndNackCompound() {
        ReceiveStatistics stats = new ReceiveStatistics(PEER);
        for (int seq = 10; seq < 20; seq++) {
            if (seq != 15) {
                stats.onPacket(seq, seq * 3000L, seq * 3000L);
            }
        }
        int len = ReceiverReport.write(buf, 0, ME, new ReceiveStatistics[] {stats}, 1, 0);
        len += RtcpPacket.writePli(buf, len, ME, PEER);
        len += Nack.write(buf, len, ME, PEER, new int[] {15}, 1);

        it.reset(buf, 0, len);
        assertTrue(it.next());
        assertEquals(RtcpPacket.RR, it.packetType());
        assertTrue(ReceiverReport.isValid(buf, it.offset(), it.length()));
        assertEquals(1, ReceiverReport.reportBlockCount(buf, it.offset()));
        int block = ReceiverReport.reportBlockOffset(it.offset(), 0);
        assertEquals(PEER, ReportBlock.ssrc(buf, block));
        assertEquals(1, ReportBlock.cumulativeLost(buf, block));
        assertEquals(19, ReportBlock.extendedHighestSeq(buf, block));
        assertEquals(256 / 10, ReportBlock.fractionLost(buf, block));

        assertTrue(it.next());
        assertTrue(RtcpPacket.isPli(buf, it.offset()));
        assertEquals(ME, it.senderSsrc());
        assertEquals(PEER, it.mediaSsrc());

        assertTrue(it.next());
        assertTrue(RtcpPacket.isNack(buf, it.offset()));
        int[] lost = new int[8];
        assertEquals(1, Nack.lostSequenceNumbers(buf, it.offset(), it.length(), lost));
        assertEquals(15, lost[0]);
        assertFalse(it.next());
        assertFalse(it.malformed());
    }

    @Test
    void rfc4585_6_3_1_pliBytes() {
        assertEquals(12, RtcpPacket.writePli(buf, 0, ME, PEER));
        assertArrayEquals(new byte[] {(byte) 0x81, (byte) 0xCE, 0x00, 0x02, 1, 2, 3, 4, 10, 11, 12, 13},
                Arrays.copyOf(buf, 12));
    }

    @Test
    void rfc4585_6_2_1_nackBytes() {
        // 101 = PID+1 -> bit 0, 105 = PID+5 -> bit 4, 116 = PID+16 -> bit 15: BLP 0x8011; 117 is PID+17: new entry.
        int len = Nack.write(buf, 0, 1, 2, new int[] {100, 101, 105, 116, 117}, 5);
        assertEquals(20, len);
        assertArrayEquals(new byte[] {(byte) 0x81, (byte) 0xCD, 0x00, 0x04, 0, 0, 0, 1, 0, 0, 0, 2,
                0x00, 0x64, (byte) 0x80, 0x11, 0x00, 0x75, 0x00, 0x00}, Arrays.copyOf(buf, 20));
        int[] lost = new int[17];
        assertEquals(5, Nack.lostSequenceNumbers(buf, 0, len, lost));
        assertArrayEquals(new int[] {100, 101, 105, 116, 117}, Arrays.copyOf(lost, 5));
        int[] sum = new int[1];
        assertEquals(5, Nack.forEachLostSeq(buf, 0, len, seq -> sum[0] += seq));
        assertEquals(100 + 101 + 105 + 116 + 117, sum[0]);
    }

    @Test
    void rfc4585_6_2_1_nackAcrossTheSequenceWrap() {
        int len = Nack.write(buf, 0, 1, 2, new int[] {65534, 65535, 0, 3, 3}, 5);
        assertEquals(16, len, "one entry, the duplicate 3 ignored");
        assertEquals(65534, Nack.pid(buf, 0, 0));
        assertEquals(0b10011, Nack.blp(buf, 0, 0), "65535 = +1, 0 = +2, 3 = +5");
        int[] lost = new int[2];
        assertEquals(2, Nack.lostSequenceNumbers(buf, 0, len, lost), "stops when the caller's array is full");
    }

    @Test
    void rfc5104_4_3_1_firRoundTrip() {
        int len = Fir.write(buf, 0, ME, PEER, 7);
        assertEquals(20, len);
        it.reset(buf, 0, len);
        assertTrue(it.next());
        assertTrue(RtcpPacket.isFir(buf, it.offset()));
        assertEquals(0, it.mediaSsrc(), "FIR carries the target in its FCI");
        assertEquals(1, Fir.entryCount(it.length()));
        assertEquals(PEER, Fir.entrySsrc(buf, 0, 0));
        assertEquals(7, Fir.entrySeqNr(buf, 0, 0));
        assertEquals(7, Fir.seqNrFor(buf, 0, len, PEER));
        assertEquals(-1, Fir.seqNrFor(buf, 0, len, ME));
    }

    @Test
    void rembRoundTrip() {
        long[] rates = {0, 1, 262_143, 262_144, 1_000_000, 2_500_000, 123_456_789, 30_000_000_000L};
        int[] ssrcs = {PEER, ME, 42};
        for (long bps : rates) {
            int len = Remb.write(buf, 0, ME, bps, ssrcs, 3);
            assertEquals(32, len);
            it.reset(buf, 0, len);
            assertTrue(it.next());
            assertTrue(Remb.isRemb(buf, it.offset(), it.length()));
            assertEquals(RtcpPacket.FMT_REMB, it.fmt());
            assertEquals(3, Remb.ssrcCount(buf, 0));
            assertEquals(42, Remb.ssrc(buf, 0, 2));
            long decoded = Remb.bitrate(buf, 0);
            assertTrue(decoded <= bps && decoded >= bps - (bps >> 17), bps + " -> " + decoded);
        }
        Remb.write(buf, 0, ME, 1_000_000, ssrcs, 0);
        assertEquals(0x0B, buf[17], "exp 2, mantissa 250000 = 0x3D090");
        assertEquals((byte) 0xD0, buf[18]);
        assertEquals((byte) 0x90, buf[19]);
        assertEquals(1_000_000, Remb.bitrate(buf, 0));
        buf[17] = (byte) 0xFF; // exp 63 with a large mantissa saturates rather than overflowing
        assertEquals(Long.MAX_VALUE, Remb.bitrate(buf, 0));
    }

    @Test
    void rfc3550_a2_lyingLengthStopsTheIterator() {
        int len = SenderReport.write(buf, 0, ME, NTP, 1, 2, 3);
        int rr = len;
        len += ReceiverReport.write(buf, rr, ME, new ReceiveStatistics[0], 0, 0);
        buf[rr + 2] = 0;
        buf[rr + 3] = 100; // claims 404 bytes
        len += RtcpPacket.writePli(buf, len, ME, PEER);
        it.reset(buf, 0, len);
        assertTrue(it.next());
        assertEquals(RtcpPacket.SR, it.packetType());
        assertFalse(it.next());
        assertTrue(it.malformed());
        assertFalse(it.next(), "stays stopped");
    }

    @Test
    void zeroLengthFieldMeansFourBytesAndIterationEnds() {
        byte[] zeros = new byte[64];
        for (int i = 0; i < zeros.length; i += 4) {
            zeros[i] = (byte) 0x80;
            zeros[i + 1] = (byte) RtcpPacket.APP;
        }
        it.reset(zeros, 0, zeros.length);
        int n = 0;
        while (it.next()) {
            assertEquals(4, it.length());
            assertEquals(0, it.senderSsrc());
            n++;
        }
        assertEquals(16, n);
        assertFalse(it.malformed());
    }

    @Test
    void wrongVersionTruncationAndBadBoundsStop() {
        int len = RtcpPacket.writePli(buf, 0, ME, PEER);
        buf[0] = (byte) 0x41;
        assertFalse(it.reset(buf, 0, len).next());
        assertTrue(it.malformed());
        RtcpPacket.writePli(buf, 0, ME, PEER);
        assertFalse(it.reset(buf, 0, 3).next());
        assertFalse(it.reset(buf, 0, 11).next());
        assertFalse(it.reset(buf, buf.length - 4, 8).next(), "range outside the array");
        assertFalse(it.reset(null, 0, 0).next());
    }

    @Test
    void byeBytes() {
        assertEquals(8, RtcpPacket.writeBye(buf, 0, ME));
        assertArrayEquals(new byte[] {(byte) 0x81, (byte) 0xCB, 0, 1, 1, 2, 3, 4}, Arrays.copyOf(buf, 8));
    }
}
