package org.huisclos.media.rtcp;

import static org.huisclos.media.bytes.Bytes.i32;
import static org.huisclos.media.bytes.Bytes.put32;

/**
 * Full Intra Request (RFC 5104 §4.3.1): the header's media source SSRC is 0 and each 8-byte FCI entry
 * names a target SSRC and a command sequence number that the sender increments per new request, so a
 * repeated FIR for the same request is not answered twice.
 */
public final class Fir {
    public static final int FCI_LENGTH = 8;
    /** A FIR with one entry. */
    public static final int LENGTH = RtcpPacket.FEEDBACK_HEADER_LENGTH + FCI_LENGTH;

    private Fir() {
    }

    public static int entryCount(int len) {
        return len < RtcpPacket.FEEDBACK_HEADER_LENGTH ? 0 : (len - RtcpPacket.FEEDBACK_HEADER_LENGTH) / FCI_LENGTH;
    }

    public static int entrySsrc(byte[] buf, int off, int entry) {
        return i32(buf, off + RtcpPacket.FEEDBACK_HEADER_LENGTH + FCI_LENGTH * entry);
    }

    public static int entrySeqNr(byte[] buf, int off, int entry) {
        return buf[off + RtcpPacket.FEEDBACK_HEADER_LENGTH + FCI_LENGTH * entry + 4] & 0xFF;
    }

    /** The command sequence number of the entry addressed to {@code ssrc}, or -1 if none is. */
    public static int seqNrFor(byte[] buf, int off, int len, int ssrc) {
        int entries = entryCount(len);
        for (int e = 0; e < entries; e++) {
            if (entrySsrc(buf, off, e) == ssrc) {
                return entrySeqNr(buf, off, e);
            }
        }
        return -1;
    }

    /** Writes a FIR asking {@code mediaSsrc} for a key frame. Returns 20. */
    public static int write(byte[] out, int off, int senderSsrc, int mediaSsrc, int seqNr) {
        RtcpPacket.writeFeedbackHeader(out, off, RtcpPacket.FMT_FIR, RtcpPacket.PSFB, LENGTH, senderSsrc, 0);
        int fci = off + RtcpPacket.FEEDBACK_HEADER_LENGTH;
        put32(out, fci, mediaSsrc);
        put32(out, fci + 4, (seqNr & 0xFFL) << 24); // seq nr, then 24 reserved bits
        return LENGTH;
    }
}
