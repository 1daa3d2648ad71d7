package org.huisclos.media.rtcp;

import static org.huisclos.media.bytes.Bytes.i32;
import static org.huisclos.media.bytes.Bytes.put32;
import static org.huisclos.media.bytes.Bytes.put8;
import static org.huisclos.media.bytes.Bytes.u24;

/**
 * Receiver Estimated Maximum Bitrate (draft-alvestrand-rmcat-remb): an application-layer PSFB message
 * (FMT 15) with the identifier "REMB", an SSRC count, the bitrate as 6-bit exponent and 18-bit
 * mantissa (bps = mantissa · 2^exp), then the SSRCs the estimate applies to. Media source SSRC is 0.
 */
public final class Remb {
    public static final int FIXED_LENGTH = 20;
    private static final int IDENTIFIER = ('R' << 24) | ('E' << 16) | ('M' << 8) | 'B';
    private static final int MAX_MANTISSA = (1 << 18) - 1;

    private Remb() {
    }

    /** A PSFB/AFB packet carrying the REMB identifier and room for every SSRC it announces. */
    public static boolean isRemb(byte[] buf, int off, int len) {
        return len >= FIXED_LENGTH && RtcpPacket.packetType(buf, off) == RtcpPacket.PSFB
                && RtcpPacket.count(buf, off) == RtcpPacket.FMT_AFB
                && i32(buf, off + 12) == IDENTIFIER
                && len >= FIXED_LENGTH + 4 * ssrcCount(buf, off);
    }

    public static int ssrcCount(byte[] buf, int off) {
        return buf[off + 16] & 0xFF;
    }

    /** Estimated bitrate in bits per second, saturating at {@code Long.MAX_VALUE}. */
    public static long bitrate(byte[] buf, int off) {
        int expMantissa = u24(buf, off + 17);
        int exp = expMantissa >>> 18;
        long mantissa = expMantissa & MAX_MANTISSA;
        if (mantissa != 0 && exp > Long.numberOfLeadingZeros(mantissa) - 1) {
            return Long.MAX_VALUE;
        }
        return mantissa << exp;
    }

    public static int ssrc(byte[] buf, int off, int i) {
        return i32(buf, off + FIXED_LENGTH + 4 * i);
    }

    public static int length(int ssrcCount) {
        return FIXED_LENGTH + 4 * ssrcCount;
    }

    /**
     * Writes a REMB for {@code ssrcs[0..count)}, {@code count <= 255}. The bitrate is rounded down to what
     * 18 mantissa bits can express (under 0.001% low), never up: overstating an estimate is the worse
     * error. Returns 20 + 4·count.
     */
    public static int write(byte[] out, int off, int senderSsrc, long bitrateBps, int[] ssrcs, int count) {
        if (count < 0 || count > 255 || bitrateBps < 0) {
            throw new IllegalArgumentException("REMB with " + count + " SSRCs at " + bitrateBps + " bps");
        }
        int exp = 0;
        long mantissa = bitrateBps;
        while (mantissa > MAX_MANTISSA) {
            mantissa >>>= 1;
            exp++;
        }
        int len = length(count);
        RtcpPacket.writeFeedbackHeader(out, off, RtcpPacket.FMT_AFB, RtcpPacket.PSFB, len, senderSsrc, 0);
        put32(out, off + 12, IDENTIFIER);
        put8(out, off + 16, count);
        put8(out, off + 17, (exp << 2) | (int) (mantissa >>> 16));
        out[off + 18] = (byte) (mantissa >>> 8);
        out[off + 19] = (byte) mantissa;
        for (int i = 0; i < count; i++) {
            put32(out, off + FIXED_LENGTH + 4 * i, ssrcs[i]);
        }
        return len;
    }
}
