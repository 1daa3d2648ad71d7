package org.huisclos.media.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class Vp8DescriptorTest {
    static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    static int len(byte[] p) {
        return Vp8Descriptor.length(p, 0, p.length);
    }

    @Test
    void rfc7741_4_2_minimalDescriptorKeyframe() {
        byte[] key = bytes(0x10, 0x00, 0x9D, 0x01, 0x2A); // S=1 PID=0; P=0, then the key frame start code
        assertEquals(1, len(key));
        assertTrue(Vp8Descriptor.isKeyframeStart(key, 0, key.length));
        byte[] delta = bytes(0x10, 0x01, 0x00);
        assertFalse(Vp8Descriptor.isKeyframeStart(delta, 0, delta.length), "P=1 is an interframe");
    }

    @Test
    void rfc7741_4_2_onlyTheFirstPacketOfPartitionZeroStartsAKeyframe() {
        assertFalse(Vp8Descriptor.isKeyframeStart(bytes(0x00, 0x00), 0, 2));
        assertFalse(Vp8Descriptor.isKeyframeStart(bytes(0x11, 0x00), 0, 2));
        assertTrue(Vp8Descriptor.isKeyframeStart(bytes(0x30, 0x00), 0, 2), "N (non-reference) does not matter");
    }

    @Test
    void rfc7741_4_2_optionalFields() {
        byte[] p = bytes(0, 0, 0x90, 0x80, 0x05, 0x00, 0x9D);
        assertEquals(3, Vp8Descriptor.length(p, 2, 5), "7-bit PictureID");
        assertTrue(Vp8Descriptor.isKeyframeStart(p, 2, 5));
        byte[] q = bytes(0x90, 0xE0, 0x81, 0x23, 0x07, 0x40, 0x01, 0x02);
        assertEquals(6, len(q), "15-bit PictureID, TL0PICIDX, TID");
        assertFalse(Vp8Descriptor.isKeyframeStart(q, 0, q.length), "P=1");
        byte[] k = bytes(0x90, 0x10, 0x1F, 0x00);
        assertEquals(3, len(k), "KEYIDX without PictureID");
        assertTrue(Vp8Descriptor.isKeyframeStart(k, 0, k.length));
    }

    @Test
    void malformedDescriptors() {
        assertEquals(-1, Vp8Descriptor.length(new byte[0], 0, 0));
        assertEquals(-1, len(bytes(0x10)), "descriptor but no VP8 data");
        assertEquals(-1, len(bytes(0x80)), "X without the extension byte");
        assertEquals(-1, len(bytes(0x90, 0x80)), "I without PictureID");
        assertEquals(-1, len(bytes(0x90, 0x80, 0x81, 0x23)), "15-bit PictureID and nothing after");
        assertEquals(-1, len(bytes(0x90, 0xF0, 0x01, 0x02, 0x03)), "I, L, T/K need 3 bytes after X");
        byte[] truncated = bytes(0x90, 0x80, 0x81);
        assertFalse(Vp8Descriptor.isKeyframeStart(truncated, 0, truncated.length));
    }
}
