package org.huisclos.media.peer;

/**
 * Test-side reader of the RFC 7741 §4.2 VP8 payload descriptor, enough to find key frames in media a test
 * received. The media node forwards VP8 without reading it, so this lives with the tests.
 */
final class Vp8Descriptor {
    private Vp8Descriptor() {
    }

    /** Length of the descriptor at {@code (buf, off, len)}, or -1 if truncated or nothing follows it. */
    static int length(byte[] buf, int off, int len) {
        if (len < 1) {
            return -1;
        }
        int n = 1;
        if ((buf[off] & 0x80) != 0) { // X: an extension byte follows
            if (len < 2) {
                return -1;
            }
            int x = buf[off + 1] & 0xFF;
            n = 2;
            if ((x & 0x80) != 0) { // I: PictureID, two bytes when its M bit is set
                if (len < 3) {
                    return -1;
                }
                n += (buf[off + 2] & 0x80) != 0 ? 2 : 1;
            }
            if ((x & 0x40) != 0) { // L: TL0PICIDX
                n++;
            }
            if ((x & 0x30) != 0) { // T or K: TID/Y/KEYIDX
                n++;
            }
        }
        return n < len ? n : -1;
    }

    /** The first packet of a key frame: S=1, PID=0, and the P bit of the VP8 header (RFC 6386 §9.1) clear. */
    static boolean isKeyframeStart(byte[] buf, int off, int len) {
        int d = length(buf, off, len);
        return d >= 0 && (buf[off] & 0x17) == 0x10 && (buf[off + d] & 0x01) == 0;
    }

    /** The PictureID (7 or 15 bits, RFC 7741 §4.2), or -1 when the descriptor has none. */
    static int pictureId(byte[] buf, int off, int len) {
        if (length(buf, off, len) < 0 || (buf[off] & 0x80) == 0 || (buf[off + 1] & 0x80) == 0) {
            return -1;
        }
        int first = buf[off + 2] & 0xff;
        return (first & 0x80) == 0 ? first : (first & 0x7f) << 8 | buf[off + 3] & 0xff;
    }

    /** TL0PICIDX, or -1 when the descriptor has none. */
    static int tl0PicIdx(byte[] buf, int off, int len) {
        if (length(buf, off, len) < 0 || (buf[off] & 0x80) == 0 || (buf[off + 1] & 0x40) == 0) {
            return -1;
        }
        int at = off + 2;
        if ((buf[off + 1] & 0x80) != 0) {
            at += (buf[off + 2] & 0x80) != 0 ? 2 : 1;
        }
        return buf[at] & 0xff;
    }
}
