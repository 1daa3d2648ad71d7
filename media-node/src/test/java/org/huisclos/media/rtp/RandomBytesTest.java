package org.huisclos.media.rtp;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.huisclos.media.bytes.Bytes;
import org.huisclos.media.rtcp.Fir;
import org.huisclos.media.rtcp.Nack;
import org.huisclos.media.rtcp.ReceiverReport;
import org.huisclos.media.rtcp.Remb;
import org.huisclos.media.rtcp.ReportBlock;
import org.huisclos.media.rtcp.RtcpIterator;
import org.huisclos.media.rtcp.SenderReport;
import org.junit.jupiter.api.Test;

/** Untrusted input from the network must never throw out of the parsers: fixed seed, reproducible. */
class RandomBytesTest {
    static final int ROUNDS = 5000;

    final PacketCache cache = new PacketCache(64, 300);
    final ReceiveStatistics stats = new ReceiveStatistics(1);
    final RtcpIterator it = new RtcpIterator();
    final byte[] out = new byte[600];
    final int[] lost = new int[64];
    long sink;

    @Test
    void randomBytesNeverThrow() {
        Random random = new Random(0x5EED);
        int validRtp = 0;
        int rtcpPackets = 0;
        for (int round = 0; round < ROUNDS; round++) {
            int off = random.nextInt(8);
            int len = random.nextInt(260);
            byte[] buf = new byte[off + len + random.nextInt(8)];
            random.nextBytes(buf);
            if (len > 0 && random.nextBoolean()) {
                buf[off] = (byte) (0x80 | (buf[off] & 0x3F)); // version 2 half the time, to get deeper
            }
            if (len > 20 && random.nextInt(4) == 0) {
                buf[off] = (byte) ((buf[off] & 0xF0) | 0x10); // X set, CC 0: exercise extension parsing
                buf[off + 12] = (byte) 0xBE;
                buf[off + 13] = (byte) 0xDE;
                buf[off + 14] = 0;
                buf[off + 15] = (byte) random.nextInt(8);
            }
            if (round % 3 == 0) {
                rtcpShaped(buf, off, len, random);
            }
            if (parseRtp(buf, off, len, random)) {
                validRtp++;
            }
            rtcpPackets += parseRtcp(buf, off, len);
        }
        assertTrue(validRtp > 100, "the generator reaches valid RTP: " + validRtp);
        assertTrue(rtcpPackets > 100, "the generator reaches RTCP packets: " + rtcpPackets);
    }

    private boolean parseRtp(byte[] buf, int off, int len, Random random) {
        sink += RtpPacket.isRtcp(buf, off, len) ? 1 : 0;
        if (!RtpPacket.isValid(buf, off, len)) {
            return false;
        }
        sink += RtpPacket.payloadOffset(buf, off) + RtpPacket.payloadLength(buf, off, len);
        sink += RtpPacket.sequenceNumber(buf, off) + RtpPacket.timestamp(buf, off) + RtpPacket.ssrc(buf, off);
        cache.store(buf, off, len);
        sink += cache.copy(RtpPacket.sequenceNumber(buf, off), out, 0);
        int rtxLen = Rtx.writeRtx(buf, off, len, out, 0, 97, 2, 3);
        if (rtxLen > 0) {
            sink += Rtx.unwrapRtx(out, 0, rtxLen, out, 0, 96, 1);
        }
        sink += Rtx.unwrapRtx(buf, off, len, out, 0, 96, 1);
        stats.onPacket(RtpPacket.sequenceNumber(buf, off), RtpPacket.timestamp(buf, off), random.nextLong());
        stats.writeReportBlock(out, 0, 1, 0, 0);
        return true;
    }

    /** Random RTCP packets whose length fields mostly fit, some lying, to get past the first header. */
    private static void rtcpShaped(byte[] buf, int off, int len, Random random) {
        int pos = off;
        while (pos + 4 <= off + len) {
            int words = 1 + random.nextInt(12);
            buf[pos] = (byte) (0x80 | random.nextInt(32));
            buf[pos + 1] = (byte) (200 + random.nextInt(7));
            int field = random.nextInt(10) == 0 ? random.nextInt(65536) : words - 1;
            Bytes.put16(buf, pos + 2, field);
            if (random.nextBoolean() && pos + 16 <= off + len) {
                Bytes.put32(buf, pos + 12, 0x52454D42); // "REMB"
            }
            pos += 4 * words;
        }
    }

    private int parseRtcp(byte[] buf, int off, int len) {
        int n = 0;
        it.reset(buf, off, len);
        while (it.next()) {
            n++;
            int p = it.offset();
            int l = it.length();
            sink += it.packetType() + it.count() + it.senderSsrc() + it.mediaSsrc();
            if (SenderReport.isValid(buf, p, l)) {
                sink += SenderReport.ntpTimestamp(buf, p);
                for (int i = 0; i < SenderReport.reportBlockCount(buf, p); i++) {
                    sink += ReportBlock.cumulativeLost(buf, SenderReport.reportBlockOffset(p, i));
                }
            }
            if (ReceiverReport.isValid(buf, p, l)) {
                for (int i = 0; i < ReceiverReport.reportBlockCount(buf, p); i++) {
                    sink += ReportBlock.jitter(buf, ReceiverReport.reportBlockOffset(p, i));
                }
            }
            sink += Nack.lostSequenceNumbers(buf, p, l, lost);
            sink += Fir.seqNrFor(buf, p, l, 7);
            if (Remb.isRemb(buf, p, l)) {
                sink += Remb.bitrate(buf, p) + Remb.ssrc(buf, p, Remb.ssrcCount(buf, p) - 1);
            }
        }
        return n;
    }
}
