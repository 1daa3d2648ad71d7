package org.huisclos.media.bytes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BytesTest {
    @Test
    void networkByteOrderRoundTrips() {
        byte[] b = new byte[16];
        Bytes.put8(b, 0, 0x1FF);
        Bytes.put16(b, 1, 0xABCD);
        Bytes.put24(b, 3, 0x123456);
        Bytes.put32(b, 6, 0xF0E0D0C0L);
        assertArrayEquals(new byte[] {(byte) 0xFF, (byte) 0xAB, (byte) 0xCD, 0x12, 0x34, 0x56,
                (byte) 0xF0, (byte) 0xE0, (byte) 0xD0, (byte) 0xC0}, java.util.Arrays.copyOf(b, 10));
        assertEquals(0xFF, Bytes.u8(b, 0));
        assertEquals(0xABCD, Bytes.u16(b, 1));
        assertEquals(0x123456, Bytes.u24(b, 3));
        assertEquals(0xF0E0D0C0, Bytes.i32(b, 6), "negative as an int");
        assertEquals(0xF0E0D0C0L, Bytes.u32(b, 6), "positive as a long");
        Bytes.put32(b, 6, -2); // an int widens to the same four bytes
        assertEquals(-2, Bytes.i32(b, 6));
        Bytes.put64(b, 8, 0x8000_0001_FFFF_FFFEL);
        assertEquals(0x8000_0001_FFFF_FFFEL, Bytes.i64(b, 8));
    }

    @Test
    void constantTimeEqualsComparesTheRangesOnly() {
        byte[] a = {9, 1, 2, 3, 4};
        byte[] b = {1, 2, 3, 5, 7, 7};
        assertTrue(Bytes.constantTimeEquals(a, 1, b, 0, 3));
        assertFalse(Bytes.constantTimeEquals(a, 1, b, 0, 4));
        assertTrue(Bytes.constantTimeEquals(a, 0, b, 0, 0));
    }
}
