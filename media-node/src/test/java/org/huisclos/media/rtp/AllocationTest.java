package org.huisclos.media.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.util.function.IntConsumer;
import org.huisclos.media.rtcp.Nack;
import org.huisclos.media.rtcp.ReceiverReport;
import org.huisclos.media.rtcp.Remb;
import org.huisclos.media.rtcp.RtcpIterator;
import org.huisclos.media.rtcp.RtcpPacket;
import org.huisclos.media.rtcp.SenderReport;
import org.junit.jupiter.api.Test;

/** The per-packet path allocates nothing: measured with the JDK's per-thread allocation counter. */
class AllocationTest {
    static final int PACKETS = 10_000;
    static final long BUDGET = 64 * 1024;

    final byte[] packet = TestPackets.embed(RtpPacketTest.fullPacket(), 10, 10);
    final int len = RtpPacketTest.fullPacket().length;
    final PacketCache cache = new PacketCache();
    final ReceiveStatistics stats = new ReceiveStatistics(0x11223344);
    final ReceiveStatistics[] sources = {stats};
    final byte[] out = new byte[1500];
    final byte[] rtcp = new byte[1500];
    final int[] nackSeqs = {100, 101, 105, 116, 117};
    final int[] lost = new int[32];
    final int[] rembSsrcs = {0x11223344};
    final RtcpIterator it = new RtcpIterator();
    final LostCounter counter = new LostCounter();
    long sink;

    static final class LostCounter implements IntConsumer {
        long total;

        @Override
        public void accept(int seq) {
            total += seq;
        }
    }

    @Test
    void parseCacheAndRtcpIterationAllocateNothing() {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported());
        threads.setThreadAllocatedMemoryEnabled(true);
        long threadId = Thread.currentThread().getId();

        run(3 * PACKETS, 0); // warm-up, so the measured loop runs compiled code
        long before = threads.getThreadAllocatedBytes(threadId);
        run(PACKETS, 3 * PACKETS);
        long allocated = threads.getThreadAllocatedBytes(threadId) - before;

        assertTrue(allocated < BUDGET, "allocated " + allocated + " bytes for " + PACKETS + " packets");
        assertTrue(sink != 0);
        assertEquals(4L * PACKETS, stats.packetsReceived());
    }

    private void run(int packets, int firstSeq) {
        int off = 10;
        for (int i = 0; i < packets; i++) {
            int seq = (firstSeq + i) & 0xFFFF;
            RtpPacket.setSequenceNumber(packet, off, seq);
            RtpPacket.setTimestamp(packet, off, seq * 960L);
            if (!RtpPacket.isValid(packet, off, len)) {
                throw new AssertionError();
            }
            sink += RtpPacket.payloadType(packet, off) + RtpPacket.ssrc(packet, off)
                    + RtpPacket.payloadOffset(packet, off) + RtpPacket.payloadLength(packet, off, len);
            stats.onPacket(seq, seq * 960L, seq * 960L + 7);

            cache.store(packet, off, len);
            sink += cache.copy(seq, out, 0);
            sink += Rtx.writeRtx(out, 0, len, out, 0, 97, 0x55, seq);

            sink += rtcpRoundTrip();
        }
    }

    private long rtcpRoundTrip() {
        int n = SenderReport.write(rtcp, 0, 1, 0x83AA7E80_00000000L, 2, 3, 4);
        n += ReceiverReport.write(rtcp, n, 1, sources, 1, 0);
        n += RtcpPacket.writePli(rtcp, n, 1, 0x11223344);
        n += Nack.write(rtcp, n, 1, 0x11223344, nackSeqs, nackSeqs.length);
        n += Remb.write(rtcp, n, 1, 1_500_000, rembSsrcs, 1);
        long acc = 0;
        it.reset(rtcp, 0, n);
        while (it.next()) {
            acc += it.packetType() + it.senderSsrc() + it.mediaSsrc();
            if (RtcpPacket.isNack(rtcp, it.offset())) {
                acc += Nack.forEachLostSeq(rtcp, it.offset(), it.length(), counter);
                acc += Nack.lostSequenceNumbers(rtcp, it.offset(), it.length(), lost);
            } else if (Remb.isRemb(rtcp, it.offset(), it.length())) {
                acc += Remb.bitrate(rtcp, it.offset());
            } else if (SenderReport.isValid(rtcp, it.offset(), it.length())) {
                acc += SenderReport.ntpMiddle32(rtcp, it.offset());
            }
        }
        return acc;
    }
}
