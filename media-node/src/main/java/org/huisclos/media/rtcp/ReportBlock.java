package org.huisclos.media.rtcp;

import static org.huisclos.media.bytes.Bytes.i32;
import static org.huisclos.media.bytes.Bytes.u24;
import static org.huisclos.media.bytes.Bytes.u32;

/** Reader for one 24-byte reception report block (RFC 3550 §6.4.1) at an absolute offset. */
public final class ReportBlock {
    public static final int LENGTH = 24;

    private ReportBlock() {
    }

    /** The source this block reports on. */
    public static int ssrc(byte[] buf, int blockOff) {
        return i32(buf, blockOff);
    }

    /** Fraction lost since the previous report, in 1/256ths. */
    public static int fractionLost(byte[] buf, int blockOff) {
        return buf[blockOff + 4] & 0xFF;
    }

    /** Cumulative packets lost, a signed 24-bit value (duplicates can make it negative). */
    public static int cumulativeLost(byte[] buf, int blockOff) {
        return (u24(buf, blockOff + 5) << 8) >> 8;
    }

    public static long extendedHighestSeq(byte[] buf, int blockOff) {
        return u32(buf, blockOff + 8);
    }

    /** Interarrival jitter in RTP timestamp units. */
    public static long jitter(byte[] buf, int blockOff) {
        return u32(buf, blockOff + 12);
    }

    /** LSR: middle 32 bits of the NTP timestamp of the last SR received from this source. */
    public static long lastSr(byte[] buf, int blockOff) {
        return u32(buf, blockOff + 16);
    }

    /** DLSR, in units of 1/65536 s. */
    public static long delaySinceLastSr(byte[] buf, int blockOff) {
        return u32(buf, blockOff + 20);
    }
}
