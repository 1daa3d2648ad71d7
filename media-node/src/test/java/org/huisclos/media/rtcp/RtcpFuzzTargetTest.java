package org.huisclos.media.rtcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.huisclos.media.fuzz.FuzzStats;
import org.junit.jupiter.api.AfterAll;

/**
 * Jazzer target: compound RTCP as the forwarder walks it after SRTCP (docs/reliability.md). The packets
 * the iterator yields tile the buffer from the start, each a multiple of four bytes inside it, and cover
 * all of it unless it reports malformed; every reader the forwarder and reporter use (SR, RR report
 * blocks, NACK, PLI, FIR, REMB) stays inside its packet once its validity check passed.
 */
class RtcpFuzzTargetTest {
    private static final int OFF = 2;
    private static final RtcpIterator IT = new RtcpIterator();
    private static final int[] LOST = new int[64];
    private static final int[] ALL_LOST = new int[64 * 1024];
    private static long executions;
    private static long sink;

    @FuzzTest
    void parse(byte[] data) {
        executions++;
        int len = data.length;
        byte[] buf = new byte[OFF + len + 6];
        System.arraycopy(data, 0, buf, OFF, len);
        IT.reset(buf, OFF, len);
        int pos = OFF;
        while (IT.next()) {
            int p = IT.offset();
            int n = IT.length();
            assertEquals(pos, p, "packets follow each other");
            assertTrue(n >= RtcpPacket.HEADER_LENGTH && n % 4 == 0 && p + n <= OFF + len, "packet inside");
            pos += n;
            sink += IT.senderSsrc() + IT.mediaSsrc() + IT.count();
            int type = IT.packetType();
            if (SenderReport.isValid(buf, p, n)) {
                assertEquals(RtcpPacket.SR, type);
                sink += SenderReport.senderSsrc(buf, p) + SenderReport.ntpMiddle32(buf, p)
                        + SenderReport.rtpTimestamp(buf, p) + SenderReport.packetCount(buf, p)
                        + SenderReport.octetCount(buf, p);
                for (int i = 0; i < SenderReport.reportBlockCount(buf, p); i++) {
                    block(buf, SenderReport.reportBlockOffset(p, i), p + n);
                }
            }
            if (ReceiverReport.isValid(buf, p, n)) {
                sink += ReceiverReport.senderSsrc(buf, p);
                for (int i = 0; i < ReceiverReport.reportBlockCount(buf, p); i++) {
                    block(buf, ReceiverReport.reportBlockOffset(p, i), p + n);
                }
            }
            if (RtcpPacket.isNack(buf, p)) {
                int entries = Nack.entryCount(n);
                assertTrue(entries == 0 || RtcpPacket.FEEDBACK_HEADER_LENGTH + Nack.FCI_LENGTH * entries <= n,
                        "NACK entries inside the packet");
                int count = Nack.lostSequenceNumbers(buf, p, n, LOST);
                int all = Nack.lostSequenceNumbers(buf, p, n, ALL_LOST);
                int[] seen = {0};
                int each = Nack.forEachLostSeq(buf, p, n, s -> {
                    assertTrue(s >= 0 && s <= 0xFFFF);
                    seen[0]++;
                });
                assertEquals(each, seen[0]);
                assertEquals(each, all);
                assertEquals(Math.min(all, LOST.length), count);
                assertTrue(all >= entries && all <= 17 * entries);
            }
            if (RtcpPacket.isFir(buf, p) || RtcpPacket.isPli(buf, p)) {
                int entries = Fir.entryCount(n);
                assertTrue(entries == 0 || RtcpPacket.FEEDBACK_HEADER_LENGTH + Fir.FCI_LENGTH * entries <= n,
                        "FIR entries inside the packet");
                if (entries > 0) {
                    int ssrc = Fir.entrySsrc(buf, p, 0);
                    assertTrue(Fir.seqNrFor(buf, p, n, ssrc) >= 0);
                }
            }
            if (Remb.isRemb(buf, p, n)) {
                assertTrue(Remb.bitrate(buf, p) >= 0);
                for (int i = 0; i < Remb.ssrcCount(buf, p); i++) {
                    sink += Remb.ssrc(buf, p, i);
                }
            }
        }
        if (!IT.malformed()) {
            assertEquals(OFF + len, pos, "a well-formed compound packet is covered by its packets");
        }
    }

    private static void block(byte[] buf, int blockOff, int packetEnd) {
        assertTrue(blockOff + ReportBlock.LENGTH <= packetEnd, "report block inside its packet");
        sink += ReportBlock.ssrc(buf, blockOff) + ReportBlock.fractionLost(buf, blockOff)
                + ReportBlock.cumulativeLost(buf, blockOff) + ReportBlock.extendedHighestSeq(buf, blockOff)
                + ReportBlock.jitter(buf, blockOff) + ReportBlock.lastSr(buf, blockOff)
                + ReportBlock.delaySinceLastSr(buf, blockOff);
    }

    @AfterAll
    static void report() throws Exception {
        FuzzStats.write(RtcpFuzzTargetTest.class, executions);
    }
}
