package org.huisclos.media.rtcp;

import static org.huisclos.media.bytes.Bytes.i32;
import static org.huisclos.media.bytes.Bytes.put32;
import static org.huisclos.media.bytes.Bytes.u32;

/** RTCP Sender Report (RFC 3550 §6.4.1): sender info, then RC report blocks. */
public final class SenderReport {
    /** Header, SSRC and the 20-byte sender info. */
    public static final int FIXED_LENGTH = 28;

    private SenderReport() {
    }

    /** An SR whose length holds the sender info and every report block its RC announces. */
    public static boolean isValid(byte[] buf, int off, int len) {
        return len >= FIXED_LENGTH && RtcpPacket.packetType(buf, off) == RtcpPacket.SR
                && len >= FIXED_LENGTH + ReportBlock.LENGTH * RtcpPacket.count(buf, off);
    }

    public static int senderSsrc(byte[] buf, int off) {
        return i32(buf, off + 4);
    }

    /** 64-bit NTP timestamp: seconds since 1900 in the high word, fraction in the low word. */
    public static long ntpTimestamp(byte[] buf, int off) {
        return (u32(buf, off + 8) << 32) | u32(buf, off + 12);
    }

    /** The middle 32 bits of the NTP timestamp, which receivers echo as LSR. */
    public static long ntpMiddle32(byte[] buf, int off) {
        return (ntpTimestamp(buf, off) >>> 16) & 0xFFFF_FFFFL;
    }

    public static long rtpTimestamp(byte[] buf, int off) {
        return u32(buf, off + 16);
    }

    public static long packetCount(byte[] buf, int off) {
        return u32(buf, off + 20);
    }

    public static long octetCount(byte[] buf, int off) {
        return u32(buf, off + 24);
    }

    public static int reportBlockCount(byte[] buf, int off) {
        return RtcpPacket.count(buf, off);
    }

    /** Absolute offset of report block {@code i}, read with {@link ReportBlock}. */
    public static int reportBlockOffset(int off, int i) {
        return off + FIXED_LENGTH + ReportBlock.LENGTH * i;
    }

    /** Writes an SR without report blocks. Returns 28. */
    public static int write(byte[] out, int off, int senderSsrc, long ntpTimestamp, long rtpTimestamp,
                            long packetCount, long octetCount) {
        RtcpPacket.writeHeader(out, off, 0, RtcpPacket.SR, FIXED_LENGTH);
        put32(out, off + 4, senderSsrc);
        put32(out, off + 8, ntpTimestamp >>> 32);
        put32(out, off + 12, ntpTimestamp);
        put32(out, off + 16, rtpTimestamp);
        put32(out, off + 20, packetCount);
        put32(out, off + 24, octetCount);
        return FIXED_LENGTH;
    }
}
