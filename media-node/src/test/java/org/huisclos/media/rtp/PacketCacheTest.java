package org.huisclos.media.rtp;

import static org.huisclos.media.rtp.TestPackets.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PacketCacheTest {
    final byte[] out = new byte[1500];

    static byte[] packet(int seq) {
        return TestPackets.simple(96, seq & 0xFFFF, seq * 3000L, 0x1234, bytes(seq, seq >> 8, 7));
    }

    int copy(PacketCache cache, int seq) {
        return cache.copy(seq, out, 0);
    }

    @Test
    void hitReturnsTheStoredBytes() {
        PacketCache cache = new PacketCache();
        byte[] p = packet(100);
        byte[] b = TestPackets.embed(p, 5, 5);
        assertTrue(cache.store(b, 5, p.length));
        int len = copy(cache, 100);
        assertEquals(p.length, len);
        assertArrayEquals(p, Arrays.copyOf(out, len));
        assertTrue(cache.contains(100));
    }

    @Test
    void missesNeverStoredAndEmpty() {
        PacketCache cache = new PacketCache(16, 200);
        assertEquals(-1, copy(cache, 0), "empty cache");
        cache.store(packet(10), 0, 15);
        assertEquals(-1, copy(cache, 11));
        assertEquals(-1, copy(cache, 9));
        assertEquals(-1, copy(cache, 10 + 16), "same slot, different seq");
    }

    @Test
    void tooOldAfterOverwrite() {
        PacketCache cache = new PacketCache(16, 200);
        for (int seq = 0; seq < 40; seq++) {
            assertTrue(cache.store(packet(seq), 0, 15));
        }
        for (int seq = 0; seq < 24; seq++) {
            assertEquals(-1, copy(cache, seq), "overwritten " + seq);
        }
        for (int seq = 24; seq < 40; seq++) {
            assertEquals(15, copy(cache, seq), "kept " + seq);
            assertEquals(seq, RtpPacket.sequenceNumber(out, 0));
        }
        assertFalse(cache.store(packet(23), 0, 15), "a late packet older than the window is dropped");
        assertEquals(15, copy(cache, 39), "and did not overwrite the newest");
    }

    @Test
    void wrapsFrom65535To0() {
        PacketCache cache = new PacketCache(16, 200);
        for (int seq = 65530; seq < 65536 + 6; seq++) {
            cache.store(packet(seq), 0, 15);
        }
        for (int seq = 65530; seq < 65536 + 6; seq++) {
            assertEquals(15, copy(cache, seq & 0xFFFF), "seq " + (seq & 0xFFFF));
            assertEquals(seq & 0xFFFF, RtpPacket.sequenceNumber(out, 0));
        }
    }

    @Test
    void reorderedArrivalAcrossTheWrapIsKept() {
        PacketCache cache = new PacketCache(16, 200);
        cache.store(packet(1), 0, 15);
        cache.store(packet(65535), 0, 15); // late, one cycle earlier
        cache.store(packet(0), 0, 15);
        assertEquals(15, copy(cache, 65535));
        assertEquals(15, copy(cache, 0));
        assertEquals(15, copy(cache, 1));
    }

    @Test
    void aPacketOneFullCycleLaterIsNotConfusedWithTheOldOne() {
        PacketCache cache = new PacketCache(16, 200);
        cache.store(packet(5), 0, 15);
        for (int seq = 4; seq <= 65536 + 4; seq += 8) {
            cache.store(packet(seq), 0, 15); // slots 4 and 12 only: slot 5 keeps the old packet
        }
        assertEquals(-1, copy(cache, 5), "seq 5 now means the one after 65540, not the one stored");
        assertEquals(15, copy(cache, 4));
    }

    @Test
    void storeOverwritesTheSameSeq() {
        PacketCache cache = new PacketCache(16, 200);
        byte[] first = packet(7);
        byte[] second = packet(7);
        second[14] = 99;
        cache.store(first, 0, first.length);
        cache.store(second, 0, second.length);
        copy(cache, 7);
        assertEquals(99, out[14]);
    }

    @Test
    void ignoresOversizedAndInvalidPackets() {
        PacketCache cache = new PacketCache(16, 20);
        byte[] big = TestPackets.simple(96, 1, 0, 1, new byte[9]);
        assertFalse(cache.store(big, 0, big.length));
        assertFalse(cache.store(new byte[12], 0, 12), "version 0");
        assertEquals(-1, copy(cache, 1));
        assertThrows(IllegalArgumentException.class, () -> new PacketCache(100, 1500));
    }

    @Test
    void clearForgetsEverything() {
        PacketCache cache = new PacketCache(16, 200);
        cache.store(packet(3), 0, 15);
        cache.clear();
        assertEquals(-1, copy(cache, 3));
    }
}
