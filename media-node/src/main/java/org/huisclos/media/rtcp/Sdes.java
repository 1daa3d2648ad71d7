package org.huisclos.media.rtcp;

import static org.huisclos.media.rtp.Bytes.put32;

/** Source description (RFC 3550 §6.5): writes the one CNAME chunk a compound RTCP packet must carry. */
public final class Sdes {
    public static final int ITEM_END = 0;
    public static final int ITEM_CNAME = 1;

    private Sdes() {
    }

    /** Length of an SDES packet with one CNAME of {@code cnameLength} bytes (at most 255). */
    public static int cnameLength(int cnameLength) {
        // header 4 + SSRC 4 + type 1 + length 1 + text + at least one null, padded to 32 bits
        return 8 + ((2 + cnameLength + 1 + 3) & ~3);
    }

    /**
     * Writes an SDES with a single chunk for {@code ssrc} holding the CNAME, given pre-encoded UTF-8 (kept
     * per stream, so no string is encoded per packet). Returns the length.
     */
    public static int writeCname(byte[] out, int off, int ssrc, byte[] cnameUtf8) {
        int textLength = cnameUtf8.length;
        if (textLength > 255) {
            throw new IllegalArgumentException("CNAME longer than 255 bytes");
        }
        int len = cnameLength(textLength);
        RtcpPacket.writeHeader(out, off, 1, RtcpPacket.SDES, len);
        put32(out, off + 4, ssrc);
        out[off + 8] = ITEM_CNAME;
        out[off + 9] = (byte) textLength;
        System.arraycopy(cnameUtf8, 0, out, off + 10, textLength);
        for (int i = off + 10 + textLength; i < off + len; i++) {
            out[i] = ITEM_END; // the end-of-list item, then padding to the word boundary
        }
        return len;
    }

    /**
     * Absolute offset of the CNAME text of the first chunk, or -1; its length is the byte before it.
     * Lets a receiver map SSRCs to endpoints without decoding a string per packet.
     */
    public static int findCname(byte[] buf, int off, int len) {
        if (len < 12 || RtcpPacket.packetType(buf, off) != RtcpPacket.SDES || RtcpPacket.count(buf, off) < 1) {
            return -1;
        }
        int pos = off + 8;
        int end = off + len;
        while (pos + 2 <= end && buf[pos] != ITEM_END) {
            int itemLen = buf[pos + 1] & 0xFF;
            if (pos + 2 + itemLen > end) {
                return -1;
            }
            if (buf[pos] == ITEM_CNAME) {
                return pos + 2;
            }
            pos += 2 + itemLen;
        }
        return -1;
    }
}
