package org.huisclos.media.rtp;

import static org.huisclos.media.bytes.Bytes.i32;
import static org.huisclos.media.bytes.Bytes.put16;
import static org.huisclos.media.bytes.Bytes.put32;
import static org.huisclos.media.bytes.Bytes.u16;
import static org.huisclos.media.bytes.Bytes.u32;

/**
 * Static accessors over a plaintext RTP packet held at {@code (buf, off, len)} (RFC 3550 §5.1).
 *
 * <p>Field accessors taking only {@code (buf, off)} read the fixed header and assume the caller has
 * checked {@link #isValid}; everything past the fixed header is bounds-checked by {@code isValid} once
 * so the per-packet path does not repeat the checks.
 */
public final class RtpPacket {
    public static final int FIXED_HEADER_LENGTH = 12;
    public static final int VERSION = 2;

    private RtpPacket() {
    }

    /**
     * RFC 3550 §5.1 and Appendix A.1 header checks: version 2, the CSRC list and the extension block
     * inside the packet, and a padding count that is at least 1 and leaves the header intact.
     */
    public static boolean isValid(byte[] buf, int off, int len) {
        if (buf == null || off < 0 || len < FIXED_HEADER_LENGTH || off > buf.length - len) {
            return false;
        }
        if (version(buf, off) != VERSION) {
            return false;
        }
        int header = FIXED_HEADER_LENGTH + 4 * csrcCount(buf, off);
        if (hasExtension(buf, off)) {
            if (header + 4 > len) {
                return false;
            }
            header += 4 + 4 * u16(buf, off + header + 2);
        }
        if (header > len) {
            return false;
        }
        if (hasPadding(buf, off)) {
            int pad = buf[off + len - 1] & 0xFF;
            return pad >= 1 && pad <= len - header;
        }
        return true;
    }

    /**
     * RFC 5761 §4: on a port shared by RTP and RTCP, a second byte (marker bit masked off) in 64..95
     * means an RTCP packet type 192..223, which no dynamic or static RTP payload type uses.
     */
    public static boolean isRtcp(byte[] buf, int off, int len) {
        if (len < 2) {
            return false;
        }
        int pt = buf[off + 1] & 0x7F;
        return pt >= 64 && pt <= 95;
    }

    public static int version(byte[] buf, int off) {
        return (buf[off] & 0xC0) >>> 6;
    }

    public static boolean hasPadding(byte[] buf, int off) {
        return (buf[off] & 0x20) != 0;
    }

    public static boolean hasExtension(byte[] buf, int off) {
        return (buf[off] & 0x10) != 0;
    }

    public static int csrcCount(byte[] buf, int off) {
        return buf[off] & 0x0F;
    }

    public static boolean marker(byte[] buf, int off) {
        return (buf[off + 1] & 0x80) != 0;
    }

    public static int payloadType(byte[] buf, int off) {
        return buf[off + 1] & 0x7F;
    }

    public static int sequenceNumber(byte[] buf, int off) {
        return u16(buf, off + 2);
    }

    /** Unsigned 32-bit media timestamp. */
    public static long timestamp(byte[] buf, int off) {
        return u32(buf, off + 4);
    }

    public static int ssrc(byte[] buf, int off) {
        return i32(buf, off + 8);
    }

    /** The i-th contributing source, {@code 0 <= i < csrcCount}. */
    public static int csrc(byte[] buf, int off, int i) {
        return i32(buf, off + FIXED_HEADER_LENGTH + 4 * i);
    }

    /** Absolute offset of the 4-byte extension header (profile, length), or -1 without the X bit. */
    public static int extensionHeaderOffset(byte[] buf, int off) {
        return hasExtension(buf, off) ? off + FIXED_HEADER_LENGTH + 4 * csrcCount(buf, off) : -1;
    }

    /** The 16-bit "defined by profile" field, e.g. 0xBEDE for RFC 8285 one-byte elements; -1 if none. */
    public static int extensionProfile(byte[] buf, int off) {
        int x = extensionHeaderOffset(buf, off);
        return x < 0 ? -1 : u16(buf, x);
    }

    /** Length in bytes of the extension data after its 4-byte header; 0 without the X bit. */
    public static int extensionDataLength(byte[] buf, int off) {
        int x = extensionHeaderOffset(buf, off);
        return x < 0 ? 0 : 4 * u16(buf, x + 2);
    }

    /** 12 + 4·CC, plus 4 + the extension data when X is set. */
    public static int headerLength(byte[] buf, int off) {
        int header = FIXED_HEADER_LENGTH + 4 * csrcCount(buf, off);
        if (hasExtension(buf, off)) {
            header += 4 + 4 * u16(buf, off + header + 2);
        }
        return header;
    }

    /** Padding bytes at the end of the packet, including the count byte itself. */
    public static int paddingLength(byte[] buf, int off, int len) {
        return hasPadding(buf, off) ? buf[off + len - 1] & 0xFF : 0;
    }

    /** Absolute offset of the payload in {@code buf}. */
    public static int payloadOffset(byte[] buf, int off) {
        return off + headerLength(buf, off);
    }

    /** Payload bytes, excluding padding. */
    public static int payloadLength(byte[] buf, int off, int len) {
        return len - headerLength(buf, off) - paddingLength(buf, off, len);
    }

    public static void setPayloadType(byte[] buf, int off, int payloadType) {
        buf[off + 1] = (byte) ((buf[off + 1] & 0x80) | (payloadType & 0x7F));
    }

    public static void setMarker(byte[] buf, int off, boolean marker) {
        buf[off + 1] = (byte) (marker ? buf[off + 1] | 0x80 : buf[off + 1] & 0x7F);
    }

    public static void setSequenceNumber(byte[] buf, int off, int seq) {
        put16(buf, off + 2, seq);
    }

    public static void setTimestamp(byte[] buf, int off, long timestamp) {
        put32(buf, off + 4, timestamp);
    }

    public static void setSsrc(byte[] buf, int off, int ssrc) {
        put32(buf, off + 8, ssrc);
    }

    /** Clears the P bit; the caller shortens the packet by {@link #paddingLength} first. */
    public static void clearPadding(byte[] buf, int off) {
        buf[off] = (byte) (buf[off] & ~0x20);
    }
}
