package org.huisclos.media.rtp;

/**
 * RFC 7741 §4.2 VP8 payload descriptor, read in place from the RTP payload at
 * {@code (buf, payloadOff, payloadLen)}.
 *
 * <pre>
 *   X|R|N|S|R|PID        required
 *   I|L|T|K|RSV          if X
 *   M|PictureID(7/15)    if I (M=1: two bytes)
 *   TL0PICIDX            if L
 *   TID|Y|KEYIDX         if T or K
 * </pre>
 *
 * Accessors other than {@link #descriptorLength} assume the descriptor was found well formed.
 */
public final class Vp8Payload {
    private static final int X = 0x80;
    private static final int N = 0x20;
    private static final int S = 0x10;
    private static final int I = 0x80;
    private static final int L = 0x40;
    private static final int T = 0x20;
    private static final int K = 0x10;
    private static final int M = 0x80;

    private Vp8Payload() {
    }

    /**
     * Length of the payload descriptor, or -1 if it is truncated or leaves no VP8 data behind it
     * (a packet that carries only a descriptor has nothing to decode).
     */
    public static int descriptorLength(byte[] buf, int payloadOff, int payloadLen) {
        if (payloadLen < 1) {
            return -1;
        }
        int b0 = buf[payloadOff] & 0xFF;
        int len = 1;
        if ((b0 & X) != 0) {
            if (payloadLen < 2) {
                return -1;
            }
            int x = buf[payloadOff + 1] & 0xFF;
            len = 2;
            if ((x & I) != 0) {
                if (payloadLen < 3) {
                    return -1;
                }
                len += (buf[payloadOff + 2] & M) != 0 ? 2 : 1;
            }
            if ((x & L) != 0) {
                len++;
            }
            if ((x & (T | K)) != 0) {
                len++;
            }
        }
        return len < payloadLen ? len : -1;
    }

    public static boolean isNonReference(byte[] buf, int payloadOff) {
        return (buf[payloadOff] & N) != 0;
    }

    public static boolean isStartOfPartition(byte[] buf, int payloadOff) {
        return (buf[payloadOff] & S) != 0;
    }

    public static int partitionIndex(byte[] buf, int payloadOff) {
        return buf[payloadOff] & 0x07;
    }

    /**
     * The first packet of a key frame: S=1, PID=0, and the P bit (inverse key frame flag, RFC 6386
     * §9.1) of the VP8 payload header is 0. Only the first packet of a frame carries that header.
     */
    public static boolean isKeyframeStart(byte[] buf, int payloadOff, int payloadLen) {
        int d = descriptorLength(buf, payloadOff, payloadLen);
        if (d < 0 || !isStartOfPartition(buf, payloadOff) || partitionIndex(buf, payloadOff) != 0) {
            return false;
        }
        return (buf[payloadOff + d] & 0x01) == 0;
    }

    /** The PictureID (7 or 15 bits), or -1 if the descriptor carries none or is malformed. */
    public static int pictureId(byte[] buf, int payloadOff, int payloadLen) {
        int at = pictureIdOffset(buf, payloadOff, payloadLen);
        if (at < 0) {
            return -1;
        }
        int b = buf[at] & 0xFF;
        return (b & M) != 0 ? ((b & 0x7F) << 8) | (buf[at + 1] & 0xFF) : b;
    }

    /** Whether the PictureID is the 15-bit form (M=1); false also when absent. */
    public static boolean hasLongPictureId(byte[] buf, int payloadOff, int payloadLen) {
        int at = pictureIdOffset(buf, payloadOff, payloadLen);
        return at >= 0 && (buf[at] & M) != 0;
    }

    /**
     * Rewrites the PictureID in place keeping its width (the value wraps at 7 or 15 bits), so an SFU
     * switching simulcast layers can keep the receiver's sequence continuous. Returns false if absent.
     */
    public static boolean setPictureId(byte[] buf, int payloadOff, int payloadLen, int pictureId) {
        int at = pictureIdOffset(buf, payloadOff, payloadLen);
        if (at < 0) {
            return false;
        }
        if ((buf[at] & M) != 0) {
            buf[at] = (byte) (M | ((pictureId >>> 8) & 0x7F));
            buf[at + 1] = (byte) pictureId;
        } else {
            buf[at] = (byte) (pictureId & 0x7F);
        }
        return true;
    }

    /** TL0PICIDX, or -1 if absent or malformed. */
    public static int tl0PicIdx(byte[] buf, int payloadOff, int payloadLen) {
        int at = optionalFieldOffset(buf, payloadOff, payloadLen, L);
        return at < 0 ? -1 : buf[at] & 0xFF;
    }

    /** Temporal layer index TID (0..3), or -1 if the T bit is clear or the descriptor malformed. */
    public static int temporalLayer(byte[] buf, int payloadOff, int payloadLen) {
        if (descriptorLength(buf, payloadOff, payloadLen) < 0 || (buf[payloadOff] & X) == 0
                || (buf[payloadOff + 1] & T) == 0) {
            return -1;
        }
        int at = optionalFieldOffset(buf, payloadOff, payloadLen, T | K);
        return at < 0 ? -1 : (buf[at] & 0xC0) >>> 6;
    }

    private static int pictureIdOffset(byte[] buf, int payloadOff, int payloadLen) {
        return optionalFieldOffset(buf, payloadOff, payloadLen, I);
    }

    /** Offset of the I, L or T/K field when its flag is set, else -1. */
    private static int optionalFieldOffset(byte[] buf, int payloadOff, int payloadLen, int flag) {
        if (descriptorLength(buf, payloadOff, payloadLen) < 0 || (buf[payloadOff] & X) == 0) {
            return -1;
        }
        int x = buf[payloadOff + 1] & 0xFF;
        if ((x & flag) == 0) {
            return -1;
        }
        int at = payloadOff + 2;
        if (flag == I) {
            return at;
        }
        if ((x & I) != 0) {
            at += (buf[at] & M) != 0 ? 2 : 1;
        }
        if (flag == L) {
            return at;
        }
        return (x & L) != 0 ? at + 1 : at;
    }
}
