package org.huisclos.media.rtp;

import static org.huisclos.media.bytes.Bytes.put16;
import static org.huisclos.media.bytes.Bytes.u16;

/**
 * RFC 4588 retransmission payload format: an RTX packet is the original packet with the RTX payload
 * type, SSRC and sequence number, and a payload that starts with the original sequence number (OSN).
 * Both directions also work in place ({@code out == original && outOff == off}) given two spare bytes.
 */
public final class Rtx {
    /** Bytes the RTX payload adds in front of the original payload. */
    public static final int OSN_LENGTH = 2;

    private Rtx() {
    }

    /**
     * Builds the retransmission of {@code original} into {@code out}. The timestamp, marker, CSRCs and
     * header extensions are kept (RFC 4588 §4); padding is dropped and the P bit cleared, since the
     * OSN must directly follow the header. Returns the RTX packet length, or -1 if the original is not
     * a valid RTP packet or {@code out} has no room.
     */
    public static int writeRtx(byte[] original, int off, int len, byte[] out, int outOff,
                               int rtxPayloadType, int rtxSsrc, int rtxSeq) {
        if (!RtpPacket.isValid(original, off, len)) {
            return -1;
        }
        int header = RtpPacket.headerLength(original, off);
        int payload = RtpPacket.payloadLength(original, off, len);
        int rtxLen = header + OSN_LENGTH + payload;
        if (outOff < 0 || outOff > out.length - rtxLen) {
            return -1;
        }
        int originalSeq = RtpPacket.sequenceNumber(original, off);
        // Payload first: when out aliases original, the shift right must happen before the header writes.
        System.arraycopy(original, off + header, out, outOff + header + OSN_LENGTH, payload);
        System.arraycopy(original, off, out, outOff, header);
        put16(out, outOff + header, originalSeq);
        RtpPacket.clearPadding(out, outOff);
        RtpPacket.setPayloadType(out, outOff, rtxPayloadType);
        RtpPacket.setSequenceNumber(out, outOff, rtxSeq);
        RtpPacket.setSsrc(out, outOff, rtxSsrc);
        return rtxLen;
    }

    /** The OSN carried by an RTX packet, or -1 if it carries none (e.g. a padding-only probe). */
    public static int originalSequenceNumber(byte[] rtx, int off, int len) {
        if (!RtpPacket.isValid(rtx, off, len) || RtpPacket.payloadLength(rtx, off, len) < OSN_LENGTH) {
            return -1;
        }
        return u16(rtx, RtpPacket.payloadOffset(rtx, off));
    }

    /**
     * Restores the original packet from an RTX packet: sequence number from the OSN, and the payload
     * type and SSRC of the original stream, which the caller knows from the negotiated {@code apt}
     * mapping and SSRC group. Padding of the RTX packet is dropped. Returns the restored length, or -1
     * if the RTX packet is invalid, carries no OSN, or {@code out} has no room.
     */
    public static int unwrapRtx(byte[] rtx, int off, int len, byte[] out, int outOff,
                                int originalPayloadType, int originalSsrc) {
        int originalSeq = originalSequenceNumber(rtx, off, len);
        if (originalSeq < 0) {
            return -1;
        }
        int header = RtpPacket.headerLength(rtx, off);
        int payload = RtpPacket.payloadLength(rtx, off, len) - OSN_LENGTH;
        int originalLen = header + payload;
        if (outOff < 0 || outOff > out.length - originalLen) {
            return -1;
        }
        System.arraycopy(rtx, off, out, outOff, header);
        System.arraycopy(rtx, off + header + OSN_LENGTH, out, outOff + header, payload);
        RtpPacket.clearPadding(out, outOff);
        RtpPacket.setPayloadType(out, outOff, originalPayloadType);
        RtpPacket.setSequenceNumber(out, outOff, originalSeq);
        RtpPacket.setSsrc(out, outOff, originalSsrc);
        return originalLen;
    }
}
