package org.huisclos.media.rtp;

import static org.huisclos.media.rtp.TestPackets.bytes;
import static org.huisclos.media.rtp.TestPackets.concat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class HeaderExtensionsTest {
    static final int OFF = 5;
    static final byte[] PAYLOAD = bytes('v', 'p', '8', '!', 0x00, 0xFF);

    /** V=2, X=1, PT 96, seq 0x0102, ts 0x03040506, SSRC 0x0708090A, then the block and {@code payload}. */
    static byte[] withBlock(int profile, byte[] block, byte[] payload) {
        assertEquals(0, block.length % 4, "a block is whole words");
        return concat(bytes(0x90, 96, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A),
                bytes(profile >>> 8, profile, 0, block.length / 4), block, payload);
    }

    static long find(byte[] p, int id) {
        byte[] b = TestPackets.embed(p, OFF, 3);
        long e = HeaderExtensions.find(b, OFF, p.length, id);
        return e < 0 ? e : (long) (HeaderExtensions.dataOffset(e) - OFF) << 32 | HeaderExtensions.dataLength(e);
    }

    static byte[] data(byte[] p, int id) {
        long e = HeaderExtensions.find(p, 0, p.length, id);
        assertTrue(e >= 0, "element " + id + " present");
        int at = HeaderExtensions.dataOffset(e);
        return Arrays.copyOfRange(p, at, at + HeaderExtensions.dataLength(e));
    }

    /** RFC 8285 §4.2's figure: "ID L=0 data | ID L=1 data... | 0 (pad) | 0 (pad) | ID L=3 data". */
    static byte[] rfc8285OneByteExample() {
        return withBlock(0xBEDE, bytes(
                0x10, 0xAA,             // ID 1, L=0: one data byte
                0x21, 0xBB, 0xCC,       // ID 2, L=1: two data bytes
                0x00, 0x00,             // 0 (pad), 0 (pad)
                0x33, 1, 2, 3, 4),      // ID 3, L=3: four data bytes
                PAYLOAD);
    }

    /** RFC 8285 §4.3's figure: "0x10 0x00 length=3 | ID L=0 | ID L=1 | data | 0 (pad) | ID L=4 | data". */
    static byte[] rfc8285TwoByteExample() {
        return withBlock(0x1000, bytes(
                0x07, 0x00,             // ID 7, L=0: no data
                0x20, 0x01, 0xAB,       // ID 32, L=1
                0x00,                   // 0 (pad)
                0xC8, 0x04, 9, 8, 7, 6), // ID 200, L=4
                PAYLOAD);
    }

    @Test
    void rfc8285_4_2_oneByteElementsWithPaddingBetween() {
        byte[] p = rfc8285OneByteExample();
        assertEquals((long) 17 << 32 | 1, find(p, 1));
        assertEquals((long) 19 << 32 | 2, find(p, 2));
        assertEquals((long) 24 << 32 | 4, find(p, 3));
        assertArrayEquals(bytes(1, 2, 3, 4), data(p, 3));
        assertEquals(-1, find(p, 4), "absent");
        assertEquals(-1, find(p, 0), "0 is padding, never an id");
        assertEquals(-1, find(p, 15));
    }

    @Test
    void rfc8285_4_3_twoByteElementsIncludingEmptyOne() {
        byte[] p = rfc8285TwoByteExample();
        assertEquals((long) 18 << 32 | 0, find(p, 7));
        assertEquals((long) 20 << 32 | 1, find(p, 32));
        assertEquals((long) 24 << 32 | 4, find(p, 200));
        assertEquals(-1, find(p, 1));
    }

    @Test
    void rfc8285_4_3_appbitsDoNotMatter() {
        for (int appbits = 0; appbits < 16; appbits++) {
            byte[] p = withBlock(0x1000 | appbits, bytes(0x05, 0x01, 0xAA, 0x00), PAYLOAD);
            assertEquals((long) 18 << 32 | 1, find(p, 5), "appbits " + appbits);
        }
        assertEquals(-1, find(withBlock(0x2000, bytes(0x05, 0x01, 0xAA, 0x00), PAYLOAD), 5), "not RFC 8285");
        assertEquals(-1, find(withBlock(0xBEDF, bytes(0x50, 0xAA, 0, 0), PAYLOAD), 5), "not RFC 8285");
    }

    @Test
    void rfc8285_4_2_id15EndsParsing() {
        byte[] p = withBlock(0xBEDE, bytes(0x10, 0xAA, 0xF3, 0x20, 0xBB, 0, 0, 0), PAYLOAD);
        assertEquals((long) 17 << 32 | 1, find(p, 1), "before id 15");
        assertEquals(-1, find(p, 2), "after id 15, although well formed");
    }

    @Test
    void idZeroWithALengthIsMalformed() {
        byte[] p = withBlock(0xBEDE, bytes(0x01, 0xAA, 0x10, 0xBB), PAYLOAD);
        assertEquals(-1, find(p, 1));
    }

    @Test
    void overlongElementsAreMalformed() {
        assertEquals(-1, find(withBlock(0xBEDE, bytes(0x1F, 1, 2, 3), PAYLOAD), 1), "16 bytes in a 4-byte block");
        assertEquals(-1, find(withBlock(0xBEDE, bytes(0x50, 0, 0, 0x13), PAYLOAD), 1), "last element overruns");
        assertEquals(-1, find(withBlock(0x1000, bytes(0x05, 0x03, 1, 2), PAYLOAD), 5));
        assertEquals(-1, find(withBlock(0x1000, bytes(0, 0, 0, 0x05), PAYLOAD), 5), "length byte outside");
        byte[] p = rfc8285OneByteExample();
        p[15] = 4; // block length 16 bytes, past the end of a packet of 30
        assertEquals(-1, HeaderExtensions.find(p, 0, 30, 1));
    }

    @Test
    void everyTruncationIsSafe() {
        for (byte[] p : new byte[][] {rfc8285OneByteExample(), rfc8285TwoByteExample(), RtpPacketTest.fullPacket()}) {
            int header = RtpPacket.headerLength(p, 0);
            for (int n = 0; n <= p.length; n++) {
                byte[] cut = Arrays.copyOf(p, n); // exact length: any read past n throws
                for (int id = 0; id < 256; id++) {
                    long e = HeaderExtensions.find(cut, 0, n, id);
                    if (n < header) {
                        assertEquals(-1, e, "cut at " + n);
                    } else if (e >= 0) {
                        assertTrue(HeaderExtensions.dataOffset(e) + HeaderExtensions.dataLength(e) <= header);
                    }
                    HeaderExtensions.audioLevel(cut, 0, n, id);
                    HeaderExtensions.transportSequence(cut, 0, n, id);
                    HeaderExtensions.matchesRid(cut, 0, n, id, bytes('h'));
                }
            }
        }
        assertEquals(-1, HeaderExtensions.find(null, 0, 0, 1));
        assertEquals(-1, HeaderExtensions.find(new byte[20], 10, 20, 1));
        assertEquals(-1, HeaderExtensions.find(new byte[20], -1, 12, 1));
    }

    @Test
    void srtpPacketsAreReadFromTheClearHeader() {
        // Encrypted payload, a P bit whose count byte is ciphertext, and a 10-byte auth tag after it.
        byte[] p = concat(rfc8285OneByteExample(), bytes(0xEE, 0xEE, 0xEE, 0xEE, 0xEE, 0xEE, 0xEE, 0xEE, 0xEE, 0xFF));
        p[0] |= 0x20;
        assertFalse(RtpPacket.isValid(p, 0, p.length));
        assertArrayEquals(bytes(0xBB, 0xCC), data(p, 2));
    }

    @Test
    void rfc6464_3_audioLevelWithVoiceActivity() {
        // "0 | ID | len=0 |V| level | 0 (pad) | 0 (pad)", here ID 1, V=1, level 42 (-42 dBov).
        byte[] p = withBlock(0xBEDE, bytes(0x10, 0x80 | 42, 0x00, 0x00), PAYLOAD);
        int v = HeaderExtensions.audioLevel(p, 0, p.length, 1);
        assertEquals(42, HeaderExtensions.level(v));
        assertTrue(HeaderExtensions.voiceActivity(v));

        byte[] silent = withBlock(0xBEDE, bytes(0x10, 127, 0x00, 0x00), PAYLOAD);
        v = HeaderExtensions.audioLevel(silent, 0, silent.length, 1);
        assertEquals(127, HeaderExtensions.level(v));
        assertFalse(HeaderExtensions.voiceActivity(v));

        assertEquals(-1, HeaderExtensions.audioLevel(p, 0, p.length, 2), "absent");
        byte[] twoBytes = withBlock(0xBEDE, bytes(0x11, 0x80, 0x00, 0x00), PAYLOAD);
        assertEquals(-1, HeaderExtensions.audioLevel(twoBytes, 0, twoBytes.length, 1), "not one byte");
        byte[] twoByteForm = withBlock(0x1000, bytes(0x01, 0x01, 0x85, 0x00), PAYLOAD);
        assertEquals(0x85, HeaderExtensions.audioLevel(twoByteForm, 0, twoByteForm.length, 1));
    }

    static byte[] withRid(String rid) {
        byte[] r = rid.getBytes(StandardCharsets.US_ASCII);
        byte[] block = new byte[(1 + r.length + 3) & ~3];
        block[0] = (byte) (0x40 | (r.length - 1)); // ID 4
        System.arraycopy(r, 0, block, 1, r.length);
        return withBlock(0xBEDE, block, PAYLOAD);
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void rfc8852_3_ridMatchesExactly() {
        byte[] hi = withRid("hi");
        assertTrue(HeaderExtensions.matchesRid(hi, 0, hi.length, 4, ascii("hi")));
        assertFalse(HeaderExtensions.matchesRid(hi, 0, hi.length, 4, ascii("h")), "prefix");
        assertFalse(HeaderExtensions.matchesRid(hi, 0, hi.length, 4, ascii("hig")), "longer");
        assertFalse(HeaderExtensions.matchesRid(hi, 0, hi.length, 4, ascii("lo")));
        assertFalse(HeaderExtensions.matchesRid(hi, 0, hi.length, 4, ascii("")));
        assertFalse(HeaderExtensions.matchesRid(hi, 0, hi.length, 5, ascii("hi")), "other id");
        byte[] h = withRid("h");
        assertTrue(HeaderExtensions.matchesRid(h, 0, h.length, 4, ascii("h")));
        assertFalse(HeaderExtensions.matchesRid(h, 0, h.length, 4, ascii("hi")));
        byte[] full = withRid("abcdefghijklmnop"); // 16 bytes, the one-byte form's most
        assertTrue(HeaderExtensions.matchesRid(full, 0, full.length, 4, ascii("abcdefghijklmnop")));
    }

    @Test
    void ridEndsAtATrailingZeroByte() {
        byte[] p = withBlock(0xBEDE, bytes(0x42, 'h', 0, 0), PAYLOAD); // ID 4, 3 bytes "h\0\0"
        assertTrue(HeaderExtensions.matchesRid(p, 0, p.length, 4, ascii("h")));
        assertFalse(HeaderExtensions.matchesRid(p, 0, p.length, 4, ascii("hh")));
    }

    @Test
    void ridIndexPicksTheMatchingLayer() {
        byte[][] rids = {ascii("q"), ascii("h"), ascii("f")};
        byte[] h = withRid("h");
        assertEquals(1, HeaderExtensions.ridIndex(h, 0, h.length, 4, rids));
        byte[] hi = withRid("hi");
        assertEquals(-1, HeaderExtensions.ridIndex(hi, 0, hi.length, 4, rids));
        assertEquals(-1, HeaderExtensions.ridIndex(h, 0, h.length, 3, rids));
        byte[] twoByteForm = withBlock(0x1000, bytes(0x10, 0x01, 'f', 0x00), PAYLOAD);
        assertEquals(2, HeaderExtensions.ridIndex(twoByteForm, 0, twoByteForm.length, 16, rids));
    }

    @Test
    void transportSequenceReadAndRewrittenInPlace() {
        byte[] p = withBlock(0xBEDE, bytes(0x10, 0x80, 0x51, 0xAB, 0xCD, 0x00, 0x00, 0x00), PAYLOAD);
        assertEquals(0xABCD, HeaderExtensions.transportSequence(p, 0, p.length, 5));
        byte[] before = p.clone();
        assertTrue(HeaderExtensions.setTransportSequence(p, 0, p.length, 5, 0x10203));
        assertEquals(0x0203, HeaderExtensions.transportSequence(p, 0, p.length, 5), "16 bits");
        before[19] = 0x02;
        before[20] = 0x03;
        assertArrayEquals(before, p, "nothing else written");
        assertEquals(-1, HeaderExtensions.transportSequence(p, 0, p.length, 1), "1 byte, not 2");
        assertFalse(HeaderExtensions.setTransportSequence(p, 0, p.length, 1, 7));
        assertFalse(HeaderExtensions.setTransportSequence(p, 0, p.length, 6, 7), "absent");
        assertEquals(-1, HeaderExtensions.transportSequence(p, 0, p.length, 6));
    }

    /**
     * Inserts a transport-wide sequence number with {@code id}, and checks the copy: a valid packet with
     * the element, the same payload and padding byte for byte, and every element of {@code ids} still there.
     */
    static byte[] inserted(byte[] p, int id, int seq, int expectedGrowth, int... ids) {
        byte[] dst = new byte[OFF + p.length + expectedGrowth + 4];
        int n = HeaderExtensions.insertTransportSequence(p, 0, p.length, dst, OFF, id, seq);
        assertEquals(p.length + expectedGrowth, n);
        byte[] out = Arrays.copyOfRange(dst, OFF, OFF + n);
        assertTrue(RtpPacket.isValid(out, 0, n));
        assertEquals(seq & 0xFFFF, HeaderExtensions.transportSequence(out, 0, n, id));
        int payloadAt = RtpPacket.headerLength(p, 0);
        assertArrayEquals(Arrays.copyOfRange(p, payloadAt, p.length),
                Arrays.copyOfRange(out, RtpPacket.headerLength(out, 0), n), "payload and padding unchanged");
        assertArrayEquals(withoutX(Arrays.copyOf(p, 12)), withoutX(Arrays.copyOf(out, 12)), "fixed header");
        for (int other : ids) {
            assertArrayEquals(data(p, other), data(out, other), "element " + other);
        }
        return out;
    }

    static byte[] withoutX(byte[] header) {
        byte[] h = header.clone();
        h[0] &= ~0x10;
        return h;
    }

    @Test
    void insertIntoAPacketWithoutExtensions() {
        byte[] p = TestPackets.simple(111, 7, 960, 0x1234, PAYLOAD);
        byte[] dst = new byte[p.length + 8];
        assertEquals(p.length + 8, HeaderExtensions.insertTransportSequence(p, 0, p.length, dst, 0, 3, 0xBEEF));
        assertArrayEquals(concat(withoutX(Arrays.copyOf(dst, 12)), bytes(0xBE, 0xDE, 0, 1, 0x31, 0xBE, 0xEF, 0),
                PAYLOAD), concat(withoutX(Arrays.copyOf(dst, 12)), Arrays.copyOfRange(dst, 12, dst.length)));
        assertTrue(RtpPacket.hasExtension(dst, 0));
        assertArrayEquals(withoutX(Arrays.copyOf(dst, 12)), Arrays.copyOf(p, 12));
        assertEquals(0xBEEF, HeaderExtensions.transportSequence(dst, 0, dst.length, 3));
        assertTrue(RtpPacket.isValid(dst, 0, dst.length));
    }

    @Test
    void insertKeepsCsrcsAndPadding() {
        byte[] p = concat(bytes(0xA2, 96, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3), bytes(1, 1, 1, 1, 2, 2, 2, 2),
                PAYLOAD, bytes(0, 0, 3));
        assertTrue(RtpPacket.isValid(p, 0, p.length));
        byte[] out = new byte[p.length + 8];
        assertEquals(out.length, HeaderExtensions.insertTransportSequence(p, 0, p.length, out, 0, 14, 65535));
        assertTrue(RtpPacket.isValid(out, 0, out.length));
        assertEquals(2, RtpPacket.csrcCount(out, 0));
        assertEquals(0x02020202, RtpPacket.csrc(out, 0, 1));
        assertEquals(65535, HeaderExtensions.transportSequence(out, 0, out.length, 14));
        assertEquals(PAYLOAD.length, RtpPacket.payloadLength(out, 0, out.length));
        assertEquals(3, RtpPacket.paddingLength(out, 0, out.length));
    }

    @Test
    void insertIntoOneByteBlockUsesItsPaddingWhenThereIsRoom() {
        byte[] p = withBlock(0xBEDE, bytes(0x10, 0x85, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00), PAYLOAD);
        byte[] out = inserted(p, 5, 0x1234, 0, 1);
        assertArrayEquals(bytes(0x10, 0x85, 0x51, 0x12, 0x34, 0, 0, 0), Arrays.copyOfRange(out, 16, 24));
    }

    @Test
    void insertIntoOneByteBlockGrowsItByAWord() {
        byte[] p = rfc8285OneByteExample(); // 12 bytes, full
        byte[] out = inserted(p, 9, 42, 4, 1, 2, 3);
        assertEquals(4, org.huisclos.media.bytes.Bytes.u16(out, 14), "length in words");
        assertArrayEquals(bytes(0x91, 0, 42, 0), Arrays.copyOfRange(out, 28, 32));

        byte[] withCsrcsAndPadding = RtpPacketTest.fullPacket(); // 7 of 8 block bytes used
        out = inserted(withCsrcsAndPadding, 9, 42, 4, 1, 3);
        assertEquals(2, RtpPacket.csrcCount(out, 0));
        assertEquals(3, RtpPacket.paddingLength(out, 0, out.length));

        byte[] tight = withBlock(0xBEDE, bytes(0x10, 0x85, 0x00, 0x00), PAYLOAD); // 2 of 4 bytes padding
        out = inserted(tight, 2, 7, 4, 1);
        assertArrayEquals(bytes(0x10, 0x85, 0x21, 0x00, 0x07, 0, 0, 0), Arrays.copyOfRange(out, 16, 24));
    }

    @Test
    void insertIntoTwoByteBlockAppendsInTwoByteForm() {
        byte[] p = rfc8285TwoByteExample();
        byte[] out = inserted(p, 201, 0xCAFE, 4, 7, 32, 200);
        assertArrayEquals(bytes(0xC9, 0x02, 0xCA, 0xFE), Arrays.copyOfRange(out, 28, 32));
        byte[] roomy = withBlock(0x1003, bytes(0x05, 0x01, 0xAA, 0, 0, 0, 0, 0), PAYLOAD);
        out = inserted(roomy, 6, 1, 0, 5);
        assertEquals(0x1003, RtpPacket.extensionProfile(out, 0), "appbits kept");
    }

    @Test
    void insertWhenPresentOnlyRewritesTheValue() {
        byte[] p = withBlock(0xBEDE, bytes(0x51, 0xAB, 0xCD, 0x00), PAYLOAD);
        byte[] out = inserted(p, 5, 0x0102, 0);
        p[17] = 1;
        p[18] = 2;
        assertArrayEquals(p, out);
        byte[] oneByteElement = withBlock(0xBEDE, bytes(0x50, 0xAB, 0x00, 0x00), PAYLOAD);
        assertEquals(-1, HeaderExtensions.insertTransportSequence(oneByteElement, 0, oneByteElement.length,
                new byte[100], 0, 5, 1), "id used by another extension");
    }

    @Test
    void insertWorksInPlace() {
        byte[] p = rfc8285OneByteExample();
        byte[] expected = inserted(p, 9, 42, 4, 1, 2, 3);
        byte[] buf = Arrays.copyOf(p, p.length + 4);
        assertEquals(p.length + 4, HeaderExtensions.insertTransportSequence(buf, 0, p.length, buf, 0, 9, 42));
        assertArrayEquals(expected, buf);
    }

    @Test
    void insertRefusesCleanly() {
        byte[] p = rfc8285OneByteExample();
        byte[] small = new byte[p.length + 3];
        assertEquals(-1, HeaderExtensions.insertTransportSequence(p, 0, p.length, small, 0, 9, 1), "no room");
        assertEquals(-1, HeaderExtensions.insertTransportSequence(p, 0, p.length, new byte[100], 90, 9, 1));
        assertEquals(-1, HeaderExtensions.insertTransportSequence(p, 0, p.length, new byte[100], -1, 9, 1));
        assertEquals(-1, HeaderExtensions.insertTransportSequence(p, 0, p.length, new byte[100], 0, 15, 1),
                "the one-byte form has no id 15");
        assertEquals(-1, HeaderExtensions.insertTransportSequence(p, 0, p.length, new byte[100], 0, 0, 1));
        byte[] plain = TestPackets.simple(96, 1, 1, 1, PAYLOAD);
        assertEquals(-1, HeaderExtensions.insertTransportSequence(plain, 0, plain.length, new byte[100], 0, 20, 1),
                "a new block is one-byte");
        byte[] stop = withBlock(0xBEDE, bytes(0x10, 0xAA, 0xF0, 0x00), PAYLOAD);
        assertEquals(-1, HeaderExtensions.insertTransportSequence(stop, 0, stop.length, new byte[100], 0, 5, 1),
                "an element after id 15 would never be read");
        byte[] other = withBlock(0x2000, bytes(1, 2, 3, 4), PAYLOAD);
        assertEquals(-1, HeaderExtensions.insertTransportSequence(other, 0, other.length, new byte[100], 0, 5, 1),
                "one extension block per packet, and this one is not RFC 8285");
        assertEquals(-1, HeaderExtensions.insertTransportSequence(p, 0, 20, new byte[100], 0, 9, 1), "truncated");
    }

    @Test
    void insertIntoEveryTruncationIsSafe() {
        for (byte[] p : new byte[][] {rfc8285OneByteExample(), rfc8285TwoByteExample(), RtpPacketTest.fullPacket()}) {
            for (int n = 0; n <= p.length; n++) {
                byte[] cut = Arrays.copyOf(p, n);
                byte[] dst = new byte[n + 8];
                int k = HeaderExtensions.insertTransportSequence(cut, 0, n, dst, 0, 9, 1);
                if (k >= 0) {
                    assertEquals(1, HeaderExtensions.transportSequence(dst, 0, k, 9));
                }
            }
        }
    }
}
