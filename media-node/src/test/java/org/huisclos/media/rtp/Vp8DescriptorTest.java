package org.huisclos.media.rtp;

import static org.huisclos.media.rtp.TestPackets.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class Vp8DescriptorTest {
    static final int OFF = 3;
    /** RFC 6386 §9.1: the first byte of a frame has the inverse key frame flag P in bit 0. */
    static final int KEY_FRAME_BYTE = 0x10;
    static final int DELTA_FRAME_BYTE = 0x11;

    /**
     * Builds an RFC 7741 §4.2 descriptor field by field, then one VP8 payload byte. A field given as -1
     * is left out, and its flag in the extension byte cleared; {@code longPictureId} chooses M.
     */
    static byte[] descriptor(int first, int pictureId, boolean longPictureId, int tl0, int tid, boolean y,
                             int keyIdx, int vp8Byte) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int ext = (pictureId >= 0 ? 0x80 : 0) | (tl0 >= 0 ? 0x40 : 0) | (tid >= 0 ? 0x20 : 0) | (keyIdx >= 0 ? 0x10 : 0);
        b.write(ext != 0 ? first | 0x80 : first & 0x7F);
        if (ext != 0) {
            b.write(ext);
        }
        if (pictureId >= 0 && longPictureId) {
            b.write(0x80 | pictureId >>> 8);
            b.write(pictureId);
        } else if (pictureId >= 0) {
            b.write(pictureId);
        }
        if (tl0 >= 0) {
            b.write(tl0);
        }
        if (tid >= 0 || keyIdx >= 0) {
            b.write(Math.max(tid, 0) << 6 | (y ? 0x20 : 0) | Math.max(keyIdx, 0));
        }
        b.write(vp8Byte);
        return b.toByteArray();
    }

    @Test
    void rfc7741_4_2_everyFlagCombination() {
        for (int flags = 0; flags < 32; flags++) {
            boolean i = (flags & 1) != 0;
            boolean longId = (flags & 2) != 0;
            boolean l = (flags & 4) != 0;
            boolean t = (flags & 8) != 0;
            boolean k = (flags & 16) != 0;
            if (!i && longId) {
                continue;
            }
            int pictureId = !i ? -1 : longId ? 0x1234 : 0x5A;
            byte[] d = descriptor(0x30 | 5, pictureId, longId, l ? 200 : -1, t ? 2 : -1, t, k ? 17 : -1,
                    DELTA_FRAME_BYTE);
            byte[] buf = TestPackets.embed(d, OFF, 4);
            int len = d.length;
            String what = "I=" + i + " M=" + longId + " L=" + l + " T=" + t + " K=" + k;
            int expectedLength = 1 + (i || l || t || k ? 1 : 0) + (i ? (longId ? 2 : 1) : 0) + (l ? 1 : 0)
                    + (t || k ? 1 : 0);
            assertEquals(expectedLength, Vp8Descriptor.length(buf, OFF, len), what);
            assertEquals(len - 1, expectedLength, what);
            assertTrue(Vp8Descriptor.isNonReference(buf, OFF, len), what);
            assertTrue(Vp8Descriptor.isPartitionStart(buf, OFF, len), what);
            assertEquals(5, Vp8Descriptor.partitionIndex(buf, OFF, len), what);
            assertEquals(pictureId, Vp8Descriptor.pictureId(buf, OFF, len), what);
            assertEquals(longId, Vp8Descriptor.hasLongPictureId(buf, OFF, len), what);
            assertEquals(l ? 200 : -1, Vp8Descriptor.tl0PicIdx(buf, OFF, len), what);
            assertEquals(t ? 2 : -1, Vp8Descriptor.temporalLayer(buf, OFF, len), what);
            assertEquals(t, Vp8Descriptor.isLayerSync(buf, OFF, len), what);
            assertEquals(k ? 17 : -1, Vp8Descriptor.keyIndex(buf, OFF, len), what);
            assertFalse(Vp8Descriptor.isKeyframe(buf, OFF, len), what + ": PID 5");
        }
    }

    @Test
    void rfc7741_4_2_flagsOfTheFirstByte() {
        byte[] d = bytes(0x00, 0x9D); // X=0 N=0 S=0 PID=0, then payload
        assertEquals(1, Vp8Descriptor.length(d, 0, d.length));
        assertFalse(Vp8Descriptor.isNonReference(d, 0, d.length));
        assertFalse(Vp8Descriptor.isPartitionStart(d, 0, d.length));
        assertEquals(0, Vp8Descriptor.partitionIndex(d, 0, d.length));
        assertEquals(-1, Vp8Descriptor.pictureId(d, 0, d.length));
        assertEquals(-1, Vp8Descriptor.tl0PicIdx(d, 0, d.length));
        assertEquals(-1, Vp8Descriptor.temporalLayer(d, 0, d.length));
        assertEquals(-1, Vp8Descriptor.keyIndex(d, 0, d.length));
        assertFalse(Vp8Descriptor.setPictureId(d, 0, d.length, 1));
        assertFalse(Vp8Descriptor.setTl0PicIdx(d, 0, d.length, 1));
        assertArrayEquals(bytes(0x00, 0x9D), d, "nothing written");
    }

    @Test
    void rfc7741_4_2_keyIndexWithoutTemporalLayer() {
        byte[] d = descriptor(0x10, -1, false, -1, -1, false, 31, KEY_FRAME_BYTE);
        assertEquals(31, Vp8Descriptor.keyIndex(d, 0, d.length));
        assertEquals(-1, Vp8Descriptor.temporalLayer(d, 0, d.length), "T clear: TID means nothing");
        assertFalse(Vp8Descriptor.isLayerSync(d, 0, d.length));
    }

    @Test
    void rfc7741_4_3_keyframeIsS1Pid0AndPBitClear() {
        byte[] key = descriptor(0x10, 0x4321, true, 7, 0, true, -1, KEY_FRAME_BYTE);
        assertTrue(Vp8Descriptor.isKeyframe(key, 0, key.length));
        byte[] delta = descriptor(0x10, 0x4321, true, 7, 0, true, -1, DELTA_FRAME_BYTE);
        assertFalse(Vp8Descriptor.isKeyframe(delta, 0, delta.length), "P = 1");
        byte[] middle = descriptor(0x00, 0x4321, true, 7, 0, true, -1, KEY_FRAME_BYTE);
        assertFalse(Vp8Descriptor.isKeyframe(middle, 0, middle.length), "S = 0: not the frame's first packet");
        byte[] otherPartition = descriptor(0x11, 0x4321, true, 7, 0, true, -1, KEY_FRAME_BYTE);
        assertFalse(Vp8Descriptor.isKeyframe(otherPartition, 0, otherPartition.length), "PID = 1");
        byte[] plain = bytes(0x10, 0x9C); // no X, 0x9C: P = 0
        assertTrue(Vp8Descriptor.isKeyframe(plain, 0, plain.length));
        byte[] nonReference = bytes(0x30, 0x9C); // N is no hint either way
        assertTrue(Vp8Descriptor.isKeyframe(nonReference, 0, nonReference.length));
    }

    @Test
    void truncatedDescriptorsAreInvalid() {
        byte[] full = descriptor(0x10, 0x1234, true, 9, 1, false, 3, KEY_FRAME_BYTE); // 6 + 1 bytes
        for (int n = 0; n < full.length; n++) {
            byte[] cut = Arrays.copyOf(full, n); // exact length: a read past n would throw
            assertEquals(-1, Vp8Descriptor.length(cut, 0, n), "cut at " + n);
            assertEquals(-1, Vp8Descriptor.pictureId(cut, 0, n));
            assertEquals(-1, Vp8Descriptor.tl0PicIdx(cut, 0, n));
            assertEquals(-1, Vp8Descriptor.temporalLayer(cut, 0, n));
            assertEquals(-1, Vp8Descriptor.keyIndex(cut, 0, n));
            assertEquals(-1, Vp8Descriptor.partitionIndex(cut, 0, n));
            assertFalse(Vp8Descriptor.isKeyframe(cut, 0, n));
            assertFalse(Vp8Descriptor.isPartitionStart(cut, 0, n));
            assertFalse(Vp8Descriptor.isLayerSync(cut, 0, n));
            assertFalse(Vp8Descriptor.hasLongPictureId(cut, 0, n));
            assertFalse(Vp8Descriptor.setPictureId(cut, 0, n, 1));
            assertFalse(Vp8Descriptor.setTl0PicIdx(cut, 0, n, 1));
            assertArrayEquals(Arrays.copyOf(full, n), cut, "nothing written");
        }
        assertEquals(6, Vp8Descriptor.length(full, 0, full.length));
        assertEquals(-1, Vp8Descriptor.length(null, 0, 1));
        assertEquals(-1, Vp8Descriptor.length(full, -1, 2));
        assertEquals(-1, Vp8Descriptor.length(full, 3, full.length));
    }

    @Test
    void rewrite15BitPictureIdWrapsMod2To15() {
        byte[] d = descriptor(0x10, 0x7FFF, true, 4, -1, false, -1, KEY_FRAME_BYTE);
        byte[] buf = TestPackets.embed(d, OFF, 2);
        byte[] before = buf.clone();
        assertTrue(Vp8Descriptor.setPictureId(buf, OFF, d.length, 0x8000 + 5));
        assertEquals(5, Vp8Descriptor.pictureId(buf, OFF, d.length));
        assertTrue(Vp8Descriptor.hasLongPictureId(buf, OFF, d.length), "still 15 bits");
        assertEquals(4, Vp8Descriptor.tl0PicIdx(buf, OFF, d.length));
        before[OFF + 2] = (byte) 0x80;
        before[OFF + 3] = 5;
        assertArrayEquals(before, buf, "only the PictureID bytes written");
        assertTrue(Vp8Descriptor.setPictureId(buf, OFF, d.length, -1));
        assertEquals(0x7FFF, Vp8Descriptor.pictureId(buf, OFF, d.length));
    }

    @Test
    void rewrite7BitPictureIdWrapsMod2To7() {
        byte[] d = descriptor(0x10, 0x7F, false, 4, -1, false, -1, KEY_FRAME_BYTE);
        assertTrue(Vp8Descriptor.setPictureId(d, 0, d.length, 0x1234));
        assertEquals(0x34, Vp8Descriptor.pictureId(d, 0, d.length));
        assertFalse(Vp8Descriptor.hasLongPictureId(d, 0, d.length), "still 7 bits: M stays clear");
        assertEquals(4, Vp8Descriptor.tl0PicIdx(d, 0, d.length), "the next field did not move");
        assertTrue(Vp8Descriptor.setPictureId(d, 0, d.length, 128));
        assertEquals(0, Vp8Descriptor.pictureId(d, 0, d.length));
    }

    @Test
    void rewriteTl0PicIdxWrapsMod2To8() {
        byte[] d = descriptor(0x10, 0x1234, true, 255, 1, true, 2, KEY_FRAME_BYTE);
        assertTrue(Vp8Descriptor.setTl0PicIdx(d, 0, d.length, 256 + 9));
        assertEquals(9, Vp8Descriptor.tl0PicIdx(d, 0, d.length));
        assertEquals(0x1234, Vp8Descriptor.pictureId(d, 0, d.length));
        assertEquals(1, Vp8Descriptor.temporalLayer(d, 0, d.length));
        assertEquals(2, Vp8Descriptor.keyIndex(d, 0, d.length));
        byte[] noTl0 = descriptor(0x10, 0x1234, true, -1, 1, true, 2, KEY_FRAME_BYTE);
        assertFalse(Vp8Descriptor.setTl0PicIdx(noTl0, 0, noTl0.length, 9));
    }

    @Test
    void readsAtTheRtpPayloadOffset() {
        byte[] d = descriptor(0x10, 0x2A, false, 3, 0, false, -1, KEY_FRAME_BYTE);
        byte[] p = TestPackets.simple(96, 1, 2, 3, d);
        int at = RtpPacket.payloadOffset(p, 0);
        int n = RtpPacket.payloadLength(p, 0, p.length);
        assertTrue(Vp8Descriptor.isKeyframe(p, at, n));
        assertEquals(0x2A, Vp8Descriptor.pictureId(p, at, n));
        assertEquals(0, Vp8Descriptor.temporalLayer(p, at, n));
    }
}
