package org.huisclos.browser;

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
}
