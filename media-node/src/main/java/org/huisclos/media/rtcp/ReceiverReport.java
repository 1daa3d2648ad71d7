package org.huisclos.media.rtcp;

import static org.huisclos.media.bytes.Bytes.i32;
import static org.huisclos.media.bytes.Bytes.put32;

import org.huisclos.media.rtp.ReceiveStatistics;

/** RTCP Receiver Report (RFC 3550 §6.4.2): header, reporter SSRC, RC report blocks. */
public final class ReceiverReport {
    public static final int FIXED_LENGTH = 8;

    private ReceiverReport() {
    }

    public static boolean isValid(byte[] buf, int off, int len) {
        return len >= FIXED_LENGTH && RtcpPacket.packetType(buf, off) == RtcpPacket.RR
                && len >= FIXED_LENGTH + ReportBlock.LENGTH * RtcpPacket.count(buf, off);
    }

    public static int senderSsrc(byte[] buf, int off) {
        return i32(buf, off + 4);
    }

    public static int reportBlockCount(byte[] buf, int off) {
        return RtcpPacket.count(buf, off);
    }

    /** Absolute offset of report block {@code i}, read with {@link ReportBlock}. */
    public static int reportBlockOffset(int off, int i) {
        return off + FIXED_LENGTH + ReportBlock.LENGTH * i;
    }

    public static int length(int blockCount) {
        return FIXED_LENGTH + ReportBlock.LENGTH * blockCount;
    }

    /**
     * Writes an RR with one block per source, {@code count <= 31}; each source starts a new
     * fraction-lost interval. LSR/DLSR come from the sources' recorded SRs and {@code nowMillis}.
     * Returns the length, 8 + 24·count.
     */
    public static int write(byte[] out, int off, int senderSsrc, ReceiveStatistics[] sources, int count,
                            long nowMillis) {
        if (count < 0 || count > RtcpPacket.MAX_COUNT) {
            throw new IllegalArgumentException("report block count " + count);
        }
        int len = length(count);
        RtcpPacket.writeHeader(out, off, count, RtcpPacket.RR, len);
        put32(out, off + 4, senderSsrc);
        for (int i = 0; i < count; i++) {
            sources[i].writeReportBlock(out, reportBlockOffset(off, i), nowMillis);
        }
        return len;
    }
}
