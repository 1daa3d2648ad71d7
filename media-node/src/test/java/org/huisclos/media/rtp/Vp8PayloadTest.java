package org.huisclos.media.rtp;

import static org.huisclos.media.rtp.TestPackets.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class Vp8PayloadTest {
    static int len(byte[] p) {
        return Vp8Payload.descriptorLength(p, 0, p.length);
    }

    @Test
    void rfc7741_4_2_minimalDescriptorKeyframe() {
        byte[] key = bytes(0x10, 0x00, 0x9D, 0x01, 0x2A); // S=1 PID=0; P=0, then the key frame start code
        assertEquals(1, len(key));
        assertTrue(Vp8Payload.isKeyframeStart(key, 0, key.length));
        assertEquals(-1, Vp8Payload.pictureId(key, 0, key.length));
        byte[] delta = bytes(0x10, 0x01, 0x00);
        assertFalse(Vp8Payload.isKeyframeStart(delta, 0, delta.length), "P=1 is an interframe");
    }

    @Test
    void rfc7741_4_2_onlyTheFirstPacketOfPartitionZeroStartsAKeyframe() {
        byte[] continuation = bytes(0x00, 0x00);
        byte[] otherPartition = bytes(0x11, 0x00);
        assertFalse(Vp8Payload.isKeyframeStart(continuation, 0, 2));
        assertFalse(Vp8Payload.isKeyframeStart(otherPartition, 0, 2));
        assertEquals(1, Vp8Payload.partitionIndex(otherPartition, 0));
        byte[] nonRef = bytes(0x30, 0x01);
        assertTrue(Vp8Payload.isNonReference(nonRef, 0));
    }

    @Test
    void rfc7741_4_2_sevenBitPictureId() {
        byte[] p = bytes(0, 0, 0x90, 0x80, 0x05, 0x00, 0x9D);
        assertEquals(3, Vp8Payload.descriptorLength(p, 2, 5));
        assertEquals(5, Vp8Payload.pictureId(p, 2, 5));
        assertFalse(Vp8Payload.hasLongPictureId(p, 2, 5));
        assertTrue(Vp8Payload.isKeyframeStart(p, 2, 5));
        assertTrue(Vp8Payload.setPictureId(p, 2, 5, 130));
        assertEquals(2, Vp8Payload.pictureId(p, 2, 5), "wraps at 7 bits");
    }

    @Test
    void rfc7741_4_2_fifteenBitPictureIdWithTl0AndTid() {
        byte[] p = bytes(0x90, 0xE0, 0x81, 0x23, 0x07, 0x40, 0x01, 0x02);
        assertEquals(6, len(p));
        assertEquals(0x123, Vp8Payload.pictureId(p, 0, p.length));
        assertTrue(Vp8Payload.hasLongPictureId(p, 0, p.length));
        assertEquals(7, Vp8Payload.tl0PicIdx(p, 0, p.length));
        assertEquals(1, Vp8Payload.temporalLayer(p, 0, p.length));
        assertFalse(Vp8Payload.isKeyframeStart(p, 0, p.length), "P=1");
        Vp8Payload.setPictureId(p, 0, p.length, 0x7FFF + 2);
        assertEquals(1, Vp8Payload.pictureId(p, 0, p.length), "wraps at 15 bits");
        assertEquals(7, Vp8Payload.tl0PicIdx(p, 0, p.length), "neighbours untouched");
    }

    @Test
    void rfc7741_4_2_keyIdxWithoutPictureId() {
        byte[] p = bytes(0x90, 0x10, 0x1F, 0x00);
        assertEquals(3, len(p));
        assertEquals(-1, Vp8Payload.pictureId(p, 0, p.length));
        assertEquals(-1, Vp8Payload.temporalLayer(p, 0, p.length), "K without T carries no TID");
        assertTrue(Vp8Payload.isKeyframeStart(p, 0, p.length));
    }

    @Test
    void malformedDescriptors() {
        assertEquals(-1, Vp8Payload.descriptorLength(new byte[0], 0, 0));
        assertEquals(-1, len(bytes(0x10)), "descriptor but no VP8 data");
        assertEquals(-1, len(bytes(0x80)), "X without the extension byte");
        assertEquals(-1, len(bytes(0x90, 0x80)), "I without PictureID");
        assertEquals(-1, len(bytes(0x90, 0x80, 0x81, 0x23)), "15-bit PictureID and nothing after");
        assertEquals(-1, len(bytes(0x90, 0xF0, 0x01, 0x02, 0x03)), "I, L, T/K need 3 bytes after X");
        byte[] truncated = bytes(0x90, 0x80, 0x81);
        assertFalse(Vp8Payload.isKeyframeStart(truncated, 0, truncated.length));
        assertEquals(-1, Vp8Payload.pictureId(truncated, 0, truncated.length));
        assertFalse(Vp8Payload.setPictureId(truncated, 0, truncated.length, 1));
    }

    @Test
    void rfc6184_h264Keyframes() {
        assertTrue(H264Payload.isKeyframe(bytes(0x65, 0x88), 0, 2), "IDR slice");
        assertTrue(H264Payload.isKeyframe(bytes(0x67, 0x42), 0, 2), "SPS");
        assertFalse(H264Payload.isKeyframe(bytes(0x41, 0x9A), 0, 2), "non-IDR slice");
        byte[] stapSpsPps = bytes(0x78, 0, 2, 0x67, 0x42, 0, 2, 0x68, 0xCE);
        assertTrue(H264Payload.isKeyframe(stapSpsPps, 0, stapSpsPps.length));
        byte[] stapPps = bytes(0x78, 0, 2, 0x68, 0xCE, 0, 1, 0x06);
        assertFalse(H264Payload.isKeyframe(stapPps, 0, stapPps.length));
        byte[] stapLying = bytes(0x78, 0, 9, 0x65);
        assertFalse(H264Payload.isKeyframe(stapLying, 0, stapLying.length));
        assertTrue(H264Payload.isKeyframe(bytes(0x7C, 0x85, 0), 0, 3), "FU-A start of IDR");
        assertFalse(H264Payload.isKeyframe(bytes(0x7C, 0x05, 0), 0, 3), "FU-A middle of IDR");
        assertFalse(H264Payload.isKeyframe(bytes(0x7C, 0x81, 0), 0, 3), "FU-A start of non-IDR");
        assertFalse(H264Payload.isKeyframe(bytes(0x7C), 0, 1));
        assertFalse(H264Payload.isKeyframe(new byte[0], 0, 0));
    }
}
