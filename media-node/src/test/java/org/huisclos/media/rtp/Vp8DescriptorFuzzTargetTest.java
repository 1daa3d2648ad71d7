package org.huisclos.media.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.huisclos.media.fuzz.FuzzStats;
import org.junit.jupiter.api.AfterAll;

/**
 * Jazzer target: the RFC 7741 VP8 payload descriptor (docs/reliability.md), as an RTP payload at an offset
 * inside a larger buffer. A descriptor is 1 to 6 bytes with payload after it, or every reader says absent;
 * each optional field is present exactly when its flag is; a key frame starts partition 0; rewriting the
 * PictureID keeps its width and every other byte, and so does rewriting TL0PICIDX.
 */
class Vp8DescriptorFuzzTargetTest {
    private static final int OFF = 5;
    private static long executions;

    @FuzzTest
    void parse(byte[] data) {
        executions++;
        int len = data.length;
        byte[] buf = TestPackets.embed(data, OFF, 3);
        int n = Vp8Descriptor.length(buf, OFF, len);
        int pictureId = Vp8Descriptor.pictureId(buf, OFF, len);
        int tl0 = Vp8Descriptor.tl0PicIdx(buf, OFF, len);
        int tid = Vp8Descriptor.temporalLayer(buf, OFF, len);
        int keyIdx = Vp8Descriptor.keyIndex(buf, OFF, len);
        if (n < 0) {
            assertTrue(pictureId == -1 && tl0 == -1 && tid == -1 && keyIdx == -1, "nothing read from an invalid descriptor");
            assertEquals(-1, Vp8Descriptor.partitionIndex(buf, OFF, len));
            assertTrue(!Vp8Descriptor.isKeyframe(buf, OFF, len) && !Vp8Descriptor.setPictureId(buf, OFF, len, 1)
                    && !Vp8Descriptor.setTl0PicIdx(buf, OFF, len, 1));
            return;
        }
        assertTrue(n >= 1 && n <= 6 && n < len);
        int ext = (buf[OFF] & 0x80) != 0 ? buf[OFF + 1] & 0xFF : 0;
        assertEquals((ext & 0x80) != 0, pictureId >= 0);
        assertEquals((ext & 0x40) != 0, tl0 >= 0);
        assertEquals((ext & 0x20) != 0, tid >= 0);
        assertEquals((ext & 0x10) != 0, keyIdx >= 0);
        assertTrue(pictureId < 1 << 15 && tl0 < 256 && tid < 4 && keyIdx < 32);
        if (Vp8Descriptor.isKeyframe(buf, OFF, len)) {
            assertTrue(Vp8Descriptor.isPartitionStart(buf, OFF, len) && Vp8Descriptor.partitionIndex(buf, OFF, len) == 0);
        }
        boolean wide = Vp8Descriptor.hasLongPictureId(buf, OFF, len);
        byte[] before = buf.clone();
        if (Vp8Descriptor.setPictureId(buf, OFF, len, 0x7ABC)) {
            assertEquals(wide ? 0x7ABC : 0x3C, Vp8Descriptor.pictureId(buf, OFF, len));
            assertEquals(wide, Vp8Descriptor.hasLongPictureId(buf, OFF, len));
            assertEquals(n, Vp8Descriptor.length(buf, OFF, len));
            Vp8Descriptor.setPictureId(buf, OFF, len, pictureId);
        }
        if (Vp8Descriptor.setTl0PicIdx(buf, OFF, len, 0x1FF)) {
            assertEquals(0xFF, Vp8Descriptor.tl0PicIdx(buf, OFF, len));
            assertEquals(pictureId, Vp8Descriptor.pictureId(buf, OFF, len));
            Vp8Descriptor.setTl0PicIdx(buf, OFF, len, tl0);
        }
        assertArrayEquals(before, buf, "rewriting the old values back restores every byte");
    }

    @AfterAll
    static void report() throws Exception {
        FuzzStats.write(Vp8DescriptorFuzzTargetTest.class, executions);
    }
}
