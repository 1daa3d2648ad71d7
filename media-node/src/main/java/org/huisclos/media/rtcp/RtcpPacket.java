package org.huisclos.media.rtcp;

import static org.huisclos.media.bytes.Bytes.i32;
import static org.huisclos.media.bytes.Bytes.put16;
import static org.huisclos.media.bytes.Bytes.put32;
import static org.huisclos.media.bytes.Bytes.u16;

/**
 * RTCP common header (RFC 3550 §6.4) and packet type constants. Every RTCP packet starts with
 * {@code V=2|P|count(5)|PT(8)|length(16)}, length in 32-bit words minus one; feedback messages
 * (RFC 4585 §6.1) follow it with the sender SSRC and the media source SSRC.
 */
public final class RtcpPacket {
    public static final int SR = 200;
    public static final int RR = 201;
    public static final int SDES = 202;
    public static final int BYE = 203;
    public static final int APP = 204;
    /** Transport-layer feedback (RFC 4585). */
    public static final int RTPFB = 205;
    /** Payload-specific feedback (RFC 4585). */
    public static final int PSFB = 206;

    /** RTPFB FMT: Generic NACK (RFC 4585 §6.2.1). */
    public static final int FMT_NACK = 1;
    /** PSFB FMT: Picture Loss Indication (RFC 4585 §6.3.1). */
    public static final int FMT_PLI = 1;
    /** PSFB FMT: Full Intra Request (RFC 5104 §4.3.1). */
    public static final int FMT_FIR = 4;
    /** PSFB FMT: Application layer feedback, used by REMB. */
    public static final int FMT_AFB = 15;
    public static final int FMT_REMB = FMT_AFB;

    public static final int HEADER_LENGTH = 4;
    /** Common header + sender SSRC + media source SSRC. */
    public static final int FEEDBACK_HEADER_LENGTH = 12;
    /** RC, SC and FMT are 5 bits. */
    public static final int MAX_COUNT = 31;

    private RtcpPacket() {
    }

    public static int version(byte[] buf, int off) {
        return (buf[off] & 0xC0) >>> 6;
    }

    public static boolean hasPadding(byte[] buf, int off) {
        return (buf[off] & 0x20) != 0;
    }

    /** RC, SC or FMT depending on the packet type. */
    public static int count(byte[] buf, int off) {
        return buf[off] & 0x1F;
    }

    public static int packetType(byte[] buf, int off) {
        return buf[off + 1] & 0xFF;
    }

    /** Total length in bytes, from the length field (so a length field of 0 is 4 bytes). */
    public static int lengthInBytes(byte[] buf, int off) {
        return (u16(buf, off + 2) + 1) * 4;
    }

    /** The SSRC following the common header: the sender of SR/RR/feedback, the first source of SDES/BYE. */
    public static int senderSsrc(byte[] buf, int off) {
        return i32(buf, off + 4);
    }

    /** The media source SSRC of a feedback message. */
    public static int mediaSsrc(byte[] buf, int off) {
        return i32(buf, off + 8);
    }

    /** Writes the common header; {@code lengthInBytes} must be a multiple of 4. Returns 4. */
    public static int writeHeader(byte[] out, int off, int count, int packetType, int lengthInBytes) {
        out[off] = (byte) (0x80 | (count & 0x1F));
        out[off + 1] = (byte) packetType;
        put16(out, off + 2, lengthInBytes / 4 - 1);
        return HEADER_LENGTH;
    }

    /** Writes a feedback header (RFC 4585 §6.1). Returns 12. */
    public static int writeFeedbackHeader(byte[] out, int off, int fmt, int packetType, int lengthInBytes,
                                          int senderSsrc, int mediaSsrc) {
        writeHeader(out, off, fmt, packetType, lengthInBytes);
        put32(out, off + 4, senderSsrc);
        put32(out, off + 8, mediaSsrc);
        return FEEDBACK_HEADER_LENGTH;
    }

    public static boolean isPli(byte[] buf, int off) {
        return packetType(buf, off) == PSFB && count(buf, off) == FMT_PLI;
    }

    public static boolean isFir(byte[] buf, int off) {
        return packetType(buf, off) == PSFB && count(buf, off) == FMT_FIR;
    }

    public static boolean isNack(byte[] buf, int off) {
        return packetType(buf, off) == RTPFB && count(buf, off) == FMT_NACK;
    }

    /** Writes a PLI (RFC 4585 §6.3.1: no FCI). Returns 12. */
    public static int writePli(byte[] out, int off, int senderSsrc, int mediaSsrc) {
        return writeFeedbackHeader(out, off, FMT_PLI, PSFB, FEEDBACK_HEADER_LENGTH, senderSsrc, mediaSsrc);
    }

    /** Writes a BYE for one source, without a reason. Returns 8. */
    public static int writeBye(byte[] out, int off, int ssrc) {
        writeHeader(out, off, 1, BYE, 8);
        put32(out, off + 4, ssrc);
        return 8;
    }
}
