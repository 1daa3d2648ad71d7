package org.huisclos.media.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.huisclos.media.rtcp.ReportBlock;
import org.junit.jupiter.api.Test;

class ReceiveStatisticsTest {
    static final int SSRC = 0xCAFE;
    final byte[] block = new byte[24];

    static void receive(ReceiveStatistics s, int seq) {
        s.onPacket(seq & 0xFFFF, seq * 960L, seq * 960L + 5000);
    }

    @Test
    void rfc3550_a3_noLoss() {
        ReceiveStatistics s = new ReceiveStatistics(SSRC);
        assertFalse(s.hasReceived());
        for (int seq = 1000; seq < 1100; seq++) {
            receive(s, seq);
        }
        s.writeReportBlock(block, 0, SSRC, 0, 0);
        assertEquals(SSRC, ReportBlock.ssrc(block, 0));
        assertEquals(0, ReportBlock.fractionLost(block, 0));
        assertEquals(0, ReportBlock.cumulativeLost(block, 0));
        assertEquals(1099, ReportBlock.extendedHighestSeq(block, 0));
        assertEquals(100, s.expected());
    }

    @Test
    void rfc3550_a3_lossAndFractionPerInterval() {
        ReceiveStatistics s = new ReceiveStatistics(SSRC);
        for (int seq = 0; seq < 100; seq++) {
            if (seq % 10 != 0 || seq == 0) {
                receive(s, seq);
            }
        }
        s.writeReportBlock(block, 0, SSRC, 0, 0);
        assertEquals(9, ReportBlock.cumulativeLost(block, 0));
        assertEquals((9 << 8) / 100, ReportBlock.fractionLost(block, 0));
        for (int seq = 100; seq < 200; seq++) {
            receive(s, seq);
        }
        s.writeReportBlock(block, 0, SSRC, 0, 0);
        assertEquals(0, ReportBlock.fractionLost(block, 0), "nothing lost in the second interval");
        assertEquals(9, ReportBlock.cumulativeLost(block, 0));
    }

    @Test
    void rfc3550_a1_reorderingIsNotLoss() {
        ReceiveStatistics s = new ReceiveStatistics(SSRC);
        for (int seq : new int[] {0, 1, 3, 2, 5, 4, 6}) {
            receive(s, seq);
        }
        assertEquals(6, s.extendedHighestSeq());
        assertEquals(0, s.cumulativeLost());
    }

    @Test
    void rfc3550_a1_sequenceWraparoundCountsCycles() {
        ReceiveStatistics s = new ReceiveStatistics(SSRC);
        for (int seq = 65530; seq < 65536 + 10; seq++) {
            if (seq != 65536 + 3) {
                receive(s, seq);
            }
        }
        receive(s, 65534); // late duplicate from before the wrap must not add a cycle
        s.writeReportBlock(block, 0, SSRC, 0, 0);
        assertEquals(65536 + 9, ReportBlock.extendedHighestSeq(block, 0));
        assertEquals(16, s.expected());
        assertEquals(0, ReportBlock.cumulativeLost(block, 0), "one lost, one duplicated");
    }

    @Test
    void rfc3550_a1_largeJumpResynchronisesOnSecondPacket() {
        ReceiveStatistics s = new ReceiveStatistics(SSRC);
        for (int seq = 0; seq < 10; seq++) {
            receive(s, seq);
        }
        receive(s, 40000);
        assertEquals(9, s.extendedHighestSeq(), "a lone jump is ignored");
        receive(s, 40001);
        receive(s, 40002);
        assertEquals(40002, s.extendedHighestSeq());
        assertEquals(0, s.cumulativeLost());
    }

    @Test
    void rfc3550_6_4_1_cumulativeLostIsClampedToSigned24Bits() {
        ReceiveStatistics s = new ReceiveStatistics(SSRC);
        long seq = 0;
        for (int i = 0; i < 3000; i++) {
            receive(s, (int) seq);
            seq += 2999;
        }
        assertEquals(0x7FFFFF, s.cumulativeLost());
        s.writeReportBlock(block, 0, SSRC, 0, 0);
        assertEquals(0x7F, block[5]);
        assertEquals((byte) 0xFF, block[7]);

        ReceiveStatistics dup = new ReceiveStatistics(SSRC);
        for (int d : new int[] {0, 1, 1, 1, 2}) {
            receive(dup, d);
        }
        dup.writeReportBlock(block, 0, SSRC, 0, 0);
        assertEquals(-2, ReportBlock.cumulativeLost(block, 0), "duplicates make loss negative");
        assertEquals(0, ReportBlock.fractionLost(block, 0));
    }

    @Test
    void rfc3550_a8_jitterOfAConstantDelayStreamIsZero() {
        ReceiveStatistics s = new ReceiveStatistics(SSRC);
        long ts = 0xFFFF_0000L; // crosses the 32-bit timestamp wrap too
        for (int seq = 0; seq < 500; seq++) {
            s.onPacket(seq, ts & 0xFFFF_FFFFL, 123_456_789L + seq * 960L);
            ts += 960;
        }
        assertEquals(0, s.jitter());
    }

    @Test
    void rfc3550_a8_jitterTracksAlternatingDelay() {
        ReceiveStatistics s = new ReceiveStatistics(SSRC);
        for (int seq = 0; seq < 2000; seq++) {
            long ts = seq * 960L;
            s.onPacket(seq, ts, ts + (seq % 2 == 0 ? 0 : 160));
        }
        assertTrue(s.jitter() >= 150 && s.jitter() <= 160, "jitter " + s.jitter());
        s.writeReportBlock(block, 0, SSRC, 0, 0);
        assertEquals(s.jitter(), ReportBlock.jitter(block, 0));
    }

    @Test
    void rfc3550_6_4_1_lsrAndDlsr() {
        ReceiveStatistics s = new ReceiveStatistics(SSRC);
        receive(s, 1);
        s.writeReportBlock(block, 0, 1000L);
        assertEquals(0, ReportBlock.lastSr(block, 0));
        assertEquals(0, ReportBlock.delaySinceLastSr(block, 0));
        s.onSenderReport(0x12345678L, 1000L);
        s.writeReportBlock(block, 0, 1500L);
        assertEquals(SSRC, ReportBlock.ssrc(block, 0));
        assertEquals(0x12345678L, ReportBlock.lastSr(block, 0));
        assertEquals(32768, ReportBlock.delaySinceLastSr(block, 0), "0.5 s in 1/65536 s");
    }
}
