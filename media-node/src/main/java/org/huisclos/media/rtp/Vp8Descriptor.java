package org.huisclos.media.rtp;

import static org.huisclos.media.bytes.Bytes.put16;
import static org.huisclos.media.bytes.Bytes.u16;

/**
 * The VP8 payload descriptor (RFC 7741 §4.2) at the start of an RTP payload {@code (buf, off, len)}: the
 * offset and length are the payload's ({@link RtpPacket#payloadOffset}, {@link RtpPacket#payloadLength}).
 *
 * <pre>
 *       0 1 2 3 4 5 6 7
 *      +-+-+-+-+-+-+-+-+
 *      |X|R|N|S|R| PID | (REQUIRED)
 * X:   |I|L|T|K| RSV   | (OPTIONAL)
 * I:   |M| PictureID   | (OPTIONAL, a second byte when M is set)
 * L:   |   TL0PICIDX   | (OPTIONAL)
 * T/K: |TID|Y| KEYIDX  | (OPTIONAL)
 * </pre>
 *
 * A descriptor is valid when it and at least one byte of VP8 payload after it fit in {@code len}; every
 * reader returns -1 (or false) for an invalid one, and for a field the descriptor does not carry.
 */
public final class Vp8Descriptor {
    private static final int X = 0x80;
    private static final int N = 0x20;
    private static final int S = 0x10;
    private static final int PID = 0x07;
    private static final int I = 0x80;
    private static final int L = 0x40;
    private static final int T = 0x20;
    private static final int K = 0x10;
    /** First PictureID byte: the M bit says a 15-bit PictureID follows over two bytes. */
    private static final int M = 0x80;
    /** RFC 6386 §9.1, the first byte of a frame: P = 0 for a key frame ("inverse key frame flag"). */
    private static final int INVERSE_KEY_FRAME = 0x01;

    private Vp8Descriptor() {
    }

    /** Bytes of the descriptor, 1–6, or -1 if it is truncated or no VP8 payload follows it. */
    public static int length(byte[] buf, int off, int len) {
        if (buf == null || off < 0 || len < 1 || off > buf.length - len) {
            return -1;
        }
        int n = 1;
        if ((buf[off] & X) != 0) {
            if (len < 2) {
                return -1;
            }
            int ext = buf[off + 1] & 0xFF;
            n = 2;
            if ((ext & I) != 0) {
                if (len < 3) {
                    return -1;
                }
                n += (buf[off + 2] & M) != 0 ? 2 : 1;
            }
            if ((ext & L) != 0) {
                n++;
            }
            if ((ext & (T | K)) != 0) {
                n++;
            }
        }
        return n < len ? n : -1;
    }

    /** S: the packet starts a VP8 partition; false when invalid. */
    public static boolean isPartitionStart(byte[] buf, int off, int len) {
        return length(buf, off, len) > 0 && (buf[off] & S) != 0;
    }

    /** PID, 0–7: the partition the packet starts or continues; -1 when invalid. */
    public static int partitionIndex(byte[] buf, int off, int len) {
        return length(buf, off, len) > 0 ? buf[off] & PID : -1;
    }

    /** N: no other frame references this one, so it can be dropped; false when invalid. */
    public static boolean isNonReference(byte[] buf, int off, int len) {
        return length(buf, off, len) > 0 && (buf[off] & N) != 0;
    }

    /**
     * The first packet of a key frame (RFC 7741 §4.3): S = 1 and PID = 0, so the VP8 payload starts with
     * the frame header, whose P bit is 0. Later packets of a key frame answer false.
     */
    public static boolean isKeyframe(byte[] buf, int off, int len) {
        int n = length(buf, off, len);
        return n > 0 && (buf[off] & (S | PID)) == S && (buf[off + n] & INVERSE_KEY_FRAME) == 0;
    }

    /** PictureID, 7 or 15 bits, or -1 when absent or invalid. */
    public static int pictureId(byte[] buf, int off, int len) {
        int at = fieldOffset(buf, off, len, I);
        if (at < 0) {
            return -1;
        }
        return (buf[at] & M) != 0 ? u16(buf, at) & 0x7FFF : buf[at] & 0x7F;
    }

    /** Whether the PictureID is the 15-bit form (M = 1); false when absent or invalid. */
    public static boolean hasLongPictureId(byte[] buf, int off, int len) {
        int at = fieldOffset(buf, off, len, I);
        return at >= 0 && (buf[at] & M) != 0;
    }

    /** TL0PICIDX, 0–255, or -1 when absent or invalid. */
    public static int tl0PicIdx(byte[] buf, int off, int len) {
        int at = fieldOffset(buf, off, len, L);
        return at < 0 ? -1 : buf[at] & 0xFF;
    }

    /** TID, the temporal layer 0–3, or -1 when T is not set or the descriptor is invalid. */
    public static int temporalLayer(byte[] buf, int off, int len) {
        int at = fieldOffset(buf, off, len, T);
        return at < 0 ? -1 : (buf[at] & 0xFF) >>> 6;
    }

    /** Y: the frame depends only on the base layer (a layer sync point); false when T is not set. */
    public static boolean isLayerSync(byte[] buf, int off, int len) {
        int at = fieldOffset(buf, off, len, T);
        return at >= 0 && (buf[at] & 0x20) != 0;
    }

    /** KEYIDX, 0–31, or -1 when K is not set or the descriptor is invalid. */
    public static int keyIndex(byte[] buf, int off, int len) {
        int at = fieldOffset(buf, off, len, K);
        return at < 0 ? -1 : buf[at] & 0x1F;
    }

    /**
     * Rewrites the PictureID in place, keeping the packet's width: the value is taken mod 2^15 in the
     * 15-bit form and mod 2^7 in the 7-bit one. False, with nothing written, when there is no PictureID.
     */
    public static boolean setPictureId(byte[] buf, int off, int len, int pictureId) {
        int at = fieldOffset(buf, off, len, I);
        if (at < 0) {
            return false;
        }
        if ((buf[at] & M) != 0) {
            put16(buf, at, M << 8 | (pictureId & 0x7FFF));
        } else {
            buf[at] = (byte) (pictureId & 0x7F);
        }
        return true;
    }

    /** Rewrites TL0PICIDX (mod 2^8) in place; false, with nothing written, when there is none. */
    public static boolean setTl0PicIdx(byte[] buf, int off, int len, int tl0PicIdx) {
        int at = fieldOffset(buf, off, len, L);
        if (at < 0) {
            return false;
        }
        buf[at] = (byte) tl0PicIdx;
        return true;
    }

    /**
     * Absolute offset of the optional field whose flag in the extension byte is {@code flag} (I, L, or
     * T/K, one byte shared by both), or -1 when the flag is clear or the descriptor invalid.
     */
    private static int fieldOffset(byte[] buf, int off, int len, int flag) {
        if (length(buf, off, len) < 0 || (buf[off] & X) == 0) {
            return -1;
        }
        int ext = buf[off + 1] & 0xFF;
        if ((ext & flag) == 0) {
            return -1;
        }
        int at = off + 2;
        if (flag == I) {
            return at;
        }
        if ((ext & I) != 0) {
            at += (buf[at] & M) != 0 ? 2 : 1;
        }
        if (flag == L) {
            return at;
        }
        return (ext & L) != 0 ? at + 1 : at;
    }
}
