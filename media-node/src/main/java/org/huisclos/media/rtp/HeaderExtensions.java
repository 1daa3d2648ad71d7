package org.huisclos.media.rtp;

import static org.huisclos.media.bytes.Bytes.put16;
import static org.huisclos.media.bytes.Bytes.u16;

/**
 * RFC 8285 header extension elements, found and rewritten in place in the packet at {@code (buf, off, len)}.
 *
 * <p>Works on plaintext and on SRTP packets alike: SRTP leaves the header, extensions included, in the
 * clear (RFC 3711 §3.1), so only the header is bounds-checked here, never the padding or the payload.
 * The one-byte form (profile 0xBEDE, ids 1–14, §4.2) and the two-byte form (profile 0x100X, ids 1–255,
 * §4.3) are read; any other profile has no elements. Zero bytes between and after elements are padding.
 *
 * <p>{@link #find} packs an element's absolute data offset and its length into one {@code long}, so the
 * per-packet path allocates nothing; {@link #dataOffset} and {@link #dataLength} unpack it. Every method
 * returns -1 (or false) for an absent element and for a malformed header alike: an element running past
 * its block, a non-zero byte with id 0 in the one-byte form, or an element after id 15, which ends
 * parsing (§4.2).
 */
public final class HeaderExtensions {
    public static final int ONE_BYTE_PROFILE = 0xBEDE;
    /** The two-byte form's profile is 0x100 followed by four "appbits" (RFC 8285 §4.3). */
    public static final int TWO_BYTE_PROFILE = 0x1000;
    private static final int TWO_BYTE_PROFILE_MASK = 0xFFF0;
    private static final int ONE_BYTE_MAX_ID = 14;
    /** The one-byte form's id 15: "processing of the entire extension MUST terminate" (§4.2). */
    private static final int ONE_BYTE_STOP_ID = 15;
    /** Data bytes of a transport-wide sequence number (draft-holmer-rmcat-transport-wide-cc-extensions-01 §2). */
    public static final int TRANSPORT_SEQUENCE_LENGTH = 2;

    /** {@link #walk}: the packet has no extension block. */
    private static final long NO_BLOCK = -2;
    /** {@link #walk}: the header is malformed, the block has a profile not of RFC 8285, or a one-byte block reaches id 15. */
    private static final long MALFORMED = -1;
    /** {@link #walk}: an absent element is {@code -(ABSENT_BASE + bytes up to the end of the last element)}. */
    private static final long ABSENT_BASE = 3;

    private HeaderExtensions() {
    }

    /**
     * The element with local identifier {@code id}: {@code (dataOffset << 32) | dataLength}, the offset
     * absolute in {@code buf}; -1 when the packet has no such element or its header is malformed.
     */
    public static long find(byte[] buf, int off, int len, int id) {
        long found = walk(buf, off, len, id);
        return found >= 0 ? found : -1;
    }

    /** Absolute offset in {@code buf} of the data of an element {@link #find} returned (not -1). */
    public static int dataOffset(long element) {
        return (int) (element >>> 32);
    }

    /** Data bytes of an element {@link #find} returned (not -1): 1–16 in the one-byte form, 0–255 in the two-byte one. */
    public static int dataLength(long element) {
        return (int) element;
    }

    /**
     * RFC 6464 §3 client-to-mixer audio level: the element's one byte, {@code V << 7 | level}, level
     * 0–127 in -dBov (127 is silence); -1 when absent or not one byte long. Split it with {@link #level}
     * and {@link #voiceActivity}.
     */
    public static int audioLevel(byte[] buf, int off, int len, int id) {
        long e = find(buf, off, len, id);
        return e < 0 || dataLength(e) != 1 ? -1 : buf[dataOffset(e)] & 0xFF;
    }

    /** The level, 0–127 -dBov, of an {@link #audioLevel} value (not -1). */
    public static int level(int audioLevel) {
        return audioLevel & 0x7F;
    }

    /** The V bit of an {@link #audioLevel} value (not -1): the sender's voice activity detection says speech. */
    public static boolean voiceActivity(int audioLevel) {
        return (audioLevel & 0x80) != 0;
    }

    /**
     * Whether the RtpStreamId (or RepairedRtpStreamId) element {@code id} (RFC 8852 §3) holds exactly
     * the ASCII bytes {@code rid}. The id is sent without terminator (RFC 7941 §4), but a trailing zero
     * byte ends it too, as some senders pad it so; so "h" does not match "hi" yet matches "h\0".
     */
    public static boolean matchesRid(byte[] buf, int off, int len, int id, byte[] rid) {
        long e = find(buf, off, len, id);
        return e >= 0 && ridEquals(buf, dataOffset(e), dataLength(e), rid);
    }

    /** Index in {@code rids} of the stream id element {@code id} carries (as {@link #matchesRid}), or -1. */
    public static int ridIndex(byte[] buf, int off, int len, int id, byte[][] rids) {
        long e = find(buf, off, len, id);
        if (e < 0) {
            return -1;
        }
        for (int i = 0; i < rids.length; i++) {
            if (ridEquals(buf, dataOffset(e), dataLength(e), rids[i])) {
                return i;
            }
        }
        return -1;
    }

    private static boolean ridEquals(byte[] buf, int at, int n, byte[] rid) {
        if (rid.length == 0 || rid.length > n) {
            return false;
        }
        for (int i = 0; i < rid.length; i++) {
            if (buf[at + i] != rid[i]) {
                return false;
            }
        }
        return rid.length == n || buf[at + rid.length] == 0;
    }

    /** The transport-wide sequence number in element {@code id}, 0–65535, or -1 when absent or not 2 bytes. */
    public static int transportSequence(byte[] buf, int off, int len, int id) {
        long e = find(buf, off, len, id);
        return e < 0 || dataLength(e) != TRANSPORT_SEQUENCE_LENGTH ? -1 : u16(buf, dataOffset(e));
    }

    /** Overwrites the transport-wide sequence number in element {@code id}; false when there is none to overwrite. */
    public static boolean setTransportSequence(byte[] buf, int off, int len, int id, int seq) {
        long e = find(buf, off, len, id);
        if (e < 0 || dataLength(e) != TRANSPORT_SEQUENCE_LENGTH) {
            return false;
        }
        put16(buf, dataOffset(e), seq);
        return true;
    }

    /**
     * Copies the RTP packet at {@code (src, off, len)} to {@code dst} at {@code dstOff} with a
     * transport-wide sequence number element {@code id} holding {@code seq}, and returns the new length.
     *
     * <ul>
     *   <li>No extension block: adds a one-byte block (0xBEDE, the element, one padding byte) and the X bit.
     *   <li>A one-byte block: the element goes after the last element, into the block's padding when
     *       there is room, else the block grows by a word; {@code id} must then be 1–14.
     *   <li>A two-byte block: the element is appended in the two-byte form.
     *   <li>The element already there with 2 bytes: only its value is rewritten.
     * </ul>
     * Everything after the extension block (payload, padding, an SRTP tag) moves unchanged. Returns -1,
     * with {@code dst} possibly written, when the header is malformed, the block has another profile or
     * ends in id 15, {@code id} does not fit the form, or {@code dst} has no room. {@code dst} may be
     * {@code src} at the same offset (the tail moves first), but must not overlap it otherwise.
     */
    public static int insertTransportSequence(byte[] src, int off, int len, byte[] dst, int dstOff, int id, int seq) {
        if (id < 1 || id > 255 || dst == null || dstOff < 0) {
            return -1;
        }
        long walked = walk(src, off, len, id);
        if (walked >= 0) {
            return dataLength(walked) == TRANSPORT_SEQUENCE_LENGTH
                    ? copyAndSet(src, off, len, dst, dstOff, dataOffset(walked) - off, seq) : -1;
        }
        if (walked == NO_BLOCK) {
            return insertBlock(src, off, len, dst, dstOff, id, seq);
        }
        if (walked == MALFORMED) {
            return -1;
        }
        int x = RtpPacket.extensionHeaderOffset(src, off);
        boolean twoByte = u16(src, x) != ONE_BYTE_PROFILE;
        if (!twoByte && id > ONE_BYTE_MAX_ID) {
            return -1;
        }
        int used = (int) (-walked - ABSENT_BASE); // data bytes up to the end of the last element
        int element = twoByte ? 2 + TRANSPORT_SEQUENCE_LENGTH : 1 + TRANSPORT_SEQUENCE_LENGTH;
        int oldData = 4 * u16(src, x + 2);
        int newData = (used + element + 3) & ~3;
        int grow = Math.max(0, newData - oldData);
        int blockEnd = x + 4 + oldData - off;
        if (!moveTail(src, off, len, dst, dstOff, blockEnd, grow)) {
            return -1;
        }
        int at = dstOff + (x - off) + 4 + used;
        if (twoByte) {
            dst[at++] = (byte) id;
            dst[at++] = TRANSPORT_SEQUENCE_LENGTH;
        } else {
            dst[at++] = (byte) (id << 4 | (TRANSPORT_SEQUENCE_LENGTH - 1));
        }
        put16(dst, at, seq);
        for (int i = at + 2; i < dstOff + blockEnd + grow; i++) {
            dst[i] = 0; // padding up to the block's end, if it grew
        }
        put16(dst, dstOff + (x - off) + 2, Math.max(newData, oldData) / 4);
        return len + grow;
    }

    private static int insertBlock(byte[] src, int off, int len, byte[] dst, int dstOff, int id, int seq) {
        if (id > ONE_BYTE_MAX_ID) {
            return -1;
        }
        int headerEnd = RtpPacket.FIXED_HEADER_LENGTH + 4 * RtpPacket.csrcCount(src, off);
        int grow = 8; // block header, one-byte element header, 2 data bytes, 1 padding byte
        if (!moveTail(src, off, len, dst, dstOff, headerEnd, grow)) {
            return -1;
        }
        int at = dstOff + headerEnd;
        put16(dst, at, ONE_BYTE_PROFILE);
        put16(dst, at + 2, 1);
        dst[at + 4] = (byte) (id << 4 | (TRANSPORT_SEQUENCE_LENGTH - 1));
        put16(dst, at + 5, seq);
        dst[at + 7] = 0;
        dst[dstOff] |= 0x10;
        return len + grow;
    }

    private static int copyAndSet(byte[] src, int off, int len, byte[] dst, int dstOff, int valueAt, int seq) {
        if (!moveTail(src, off, len, dst, dstOff, len, 0)) {
            return -1;
        }
        put16(dst, dstOff + valueAt, seq);
        return len;
    }

    /**
     * Copies {@code src[off, off + len)} to {@code dst} leaving {@code grow} bytes free at packet-relative
     * offset {@code split}: the tail first, so that an in-place copy moves right without overwriting itself.
     */
    private static boolean moveTail(byte[] src, int off, int len, byte[] dst, int dstOff, int split, int grow) {
        if (dstOff > dst.length - len - grow) {
            return false;
        }
        System.arraycopy(src, off + split, dst, dstOff + split + grow, len - split);
        System.arraycopy(src, off, dst, dstOff, split);
        return true;
    }

    /**
     * One pass over the extension block: the element {@code id} packed as {@link #find} returns it, or
     * one of the negative outcomes above. The block's profile decides the form.
     */
    private static long walk(byte[] buf, int off, int len, int id) {
        if (buf == null || off < 0 || len < RtpPacket.FIXED_HEADER_LENGTH || off > buf.length - len
                || RtpPacket.version(buf, off) != RtpPacket.VERSION) {
            return MALFORMED;
        }
        int x = RtpPacket.FIXED_HEADER_LENGTH + 4 * RtpPacket.csrcCount(buf, off);
        if (!RtpPacket.hasExtension(buf, off)) {
            return x <= len ? NO_BLOCK : MALFORMED;
        }
        if (x + 4 > len) {
            return MALFORMED;
        }
        int profile = u16(buf, off + x);
        int start = off + x + 4;
        int end = start + 4 * u16(buf, off + x + 2);
        if (end > off + len) {
            return MALFORMED;
        }
        if (profile == ONE_BYTE_PROFILE) {
            return walkOneByte(buf, start, end, id);
        }
        if ((profile & TWO_BYTE_PROFILE_MASK) == TWO_BYTE_PROFILE) {
            return walkTwoByte(buf, start, end, id);
        }
        return MALFORMED;
    }

    private static long walkOneByte(byte[] buf, int start, int end, int id) {
        int used = start;
        int i = start;
        while (i < end) {
            int b = buf[i] & 0xFF;
            if (b == 0) {
                i++; // padding
                continue;
            }
            int elementId = b >>> 4;
            int n = (b & 0x0F) + 1;
            if (elementId == 0 || elementId == ONE_BYTE_STOP_ID || i + 1 + n > end) {
                return MALFORMED;
            }
            if (elementId == id) {
                return (long) (i + 1) << 32 | n;
            }
            i += 1 + n;
            used = i;
        }
        return -(ABSENT_BASE + used - start);
    }

    private static long walkTwoByte(byte[] buf, int start, int end, int id) {
        int used = start;
        int i = start;
        while (i < end) {
            int elementId = buf[i] & 0xFF;
            if (elementId == 0) {
                i++; // padding
                continue;
            }
            if (i + 2 > end) {
                return MALFORMED;
            }
            int n = buf[i + 1] & 0xFF;
            if (i + 2 + n > end) {
                return MALFORMED;
            }
            if (elementId == id) {
                return (long) (i + 2) << 32 | n;
            }
            i += 2 + n;
            used = i;
        }
        return -(ABSENT_BASE + used - start);
    }
}
