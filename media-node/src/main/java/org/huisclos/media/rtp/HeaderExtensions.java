package org.huisclos.media.rtp;

import static org.huisclos.media.rtp.Bytes.u16;

/**
 * RFC 8285 header extension elements, read and renumbered in place without allocating.
 *
 * <p>A found element is reported as a packed {@code long}: absolute data offset in the high 32 bits and
 * data length in the low 32 bits, or -1 when absent. {@link #dataOffset} and {@link #dataLength} unpack
 * it; {@link #find} is the offset-only shortcut.
 */
public final class HeaderExtensions {
    /** RFC 8285 §4.2 one-byte header profile. */
    public static final int ONE_BYTE_PROFILE = 0xBEDE;
    /** RFC 8285 §4.3 two-byte header profile; the low 4 bits ("appbits") are application data. */
    public static final int TWO_BYTE_PROFILE = 0x1000;

    private static final int ONE_BYTE_STOP_ID = 15;

    private HeaderExtensions() {
    }

    public static boolean isOneByte(int profile) {
        return profile == ONE_BYTE_PROFILE;
    }

    public static boolean isTwoByte(int profile) {
        return (profile & 0xFFF0) == TWO_BYTE_PROFILE;
    }

    /** Packed location of element {@code id} ({@code dataOffset << 32 | dataLength}), or -1. */
    public static long locate(byte[] buf, int off, int len, int id) {
        if (id <= 0) {
            return -1;
        }
        return scan(buf, off, len, id, null);
    }

    /** Absolute offset of the data of element {@code id}, or -1 if the packet does not carry it. */
    public static int find(byte[] buf, int off, int len, int id) {
        long loc = locate(buf, off, len, id);
        return loc < 0 ? -1 : dataOffset(loc);
    }

    public static int dataOffset(long location) {
        return (int) (location >>> 32);
    }

    public static int dataLength(long location) {
        return (int) location;
    }

    /**
     * Renumbers elements in place: element {@code id} becomes {@code idMap[id] & 0xFF}, so a forwarded
     * packet uses the ids negotiated on the outgoing leg. Ids beyond the map are left alone. A mapping
     * to 0 (or, for one-byte elements, to 15 or more) strips the element by zeroing it, which receivers
     * parse as padding; the packet length does not change. Padding (id 0) and a one-byte id 15 are never
     * touched, and parsing stops at id 15 as RFC 8285 §4.2 requires.
     */
    public static void rewriteIds(byte[] buf, int off, int len, byte[] idMap) {
        scan(buf, off, len, -1, idMap);
    }

    /**
     * RFC 6464 client-to-mixer audio level: the raw element byte (V bit, then level in -dBov), or -1
     * when the packet has no such element or it is empty.
     */
    public static int findAudioLevel(byte[] buf, int off, int len, int id) {
        long loc = locate(buf, off, len, id);
        return loc < 0 || dataLength(loc) < 1 ? -1 : buf[dataOffset(loc)] & 0xFF;
    }

    /** Level in -dBov, 0 (loudest) to 127 (silence), from a raw RFC 6464 byte. */
    public static int audioLevel(int raw) {
        return raw & 0x7F;
    }

    /** The V bit of a raw RFC 6464 byte: the sender's voice activity detection said "speech". */
    public static boolean voiceActivity(int raw) {
        return (raw & 0x80) != 0;
    }

    /**
     * One walk over the elements. With {@code idMap == null} it looks for {@code wanted} and returns
     * its packed location; otherwise it renumbers every element and returns -1. Malformed blocks (an
     * element running past the block, a block running past the packet) end the walk.
     */
    private static long scan(byte[] buf, int off, int len, int wanted, byte[] idMap) {
        if (len < RtpPacket.FIXED_HEADER_LENGTH) {
            return -1;
        }
        int x = RtpPacket.extensionHeaderOffset(buf, off);
        if (x < 0 || x + 4 > off + len) {
            return -1;
        }
        int profile = u16(buf, x);
        boolean oneByte = isOneByte(profile);
        if (!oneByte && !isTwoByte(profile)) {
            return -1;
        }
        int pos = x + 4;
        int end = pos + 4 * u16(buf, x + 2);
        if (end > off + len) {
            return -1;
        }
        while (pos < end) {
            int head = buf[pos] & 0xFF;
            int id = oneByte ? head >>> 4 : head;
            if (id == 0) {
                pos++; // padding byte between elements
                continue;
            }
            if (oneByte && id == ONE_BYTE_STOP_ID) {
                return -1;
            }
            int dataOff;
            int dataLen;
            if (oneByte) {
                dataOff = pos + 1;
                dataLen = (head & 0x0F) + 1;
            } else {
                if (pos + 2 > end) {
                    return -1;
                }
                dataOff = pos + 2;
                dataLen = buf[pos + 1] & 0xFF;
            }
            if (dataOff + dataLen > end) {
                return -1;
            }
            if (idMap == null) {
                if (id == wanted) {
                    return ((long) dataOff << 32) | dataLen;
                }
            } else if (id < idMap.length) {
                remap(buf, pos, dataOff + dataLen, oneByte, head, idMap[id] & 0xFF);
            }
            pos = dataOff + dataLen;
        }
        return -1;
    }

    private static void remap(byte[] buf, int pos, int elementEnd, boolean oneByte, int head, int newId) {
        boolean strip = newId == 0 || (oneByte && newId >= ONE_BYTE_STOP_ID);
        if (strip) {
            for (int i = pos; i < elementEnd; i++) {
                buf[i] = 0;
            }
        } else if (oneByte) {
            buf[pos] = (byte) ((newId << 4) | (head & 0x0F));
        } else {
            buf[pos] = (byte) newId;
        }
    }
}
