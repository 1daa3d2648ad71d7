package org.huisclos.media.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import org.huisclos.media.fuzz.FuzzStats;
import org.junit.jupiter.api.AfterAll;

/**
 * Jazzer target: RFC 8285 header extensions (docs/reliability.md). The first input byte is the id of the
 * transport-wide sequence number to insert, the rest the packet, at an offset inside a larger buffer.
 * Every element found lies inside the extension block; the typed readers stay in their ranges; rewriting
 * the sequence number touches its two bytes only; an insertion either refuses or gives a packet with the
 * number, the same bytes after the header, every other element unchanged, and valid if the input was.
 */
class HeaderExtensionsFuzzTargetTest {
    private static final int OFF = 3;
    private static final byte[] OUT = new byte[2048];
    private static long executions;

    @FuzzTest
    void parse(byte[] data) {
        executions++;
        if (data.length < 1) {
            return;
        }
        int insertId = data[0] & 0xFF;
        int len = data.length - 1;
        byte[] buf = TestPackets.embed(Arrays.copyOfRange(data, 1, data.length), OFF, 5);
        long[] found = new long[256];
        for (int id = 0; id < 256; id++) {
            long e = HeaderExtensions.find(buf, OFF, len, id);
            found[id] = e;
            if (e >= 0) {
                int at = HeaderExtensions.dataOffset(e);
                int end = OFF + RtpPacket.headerLength(buf, OFF);
                assertTrue(at >= OFF + 16 && at + HeaderExtensions.dataLength(e) <= end, "inside the block");
            }
            int level = HeaderExtensions.audioLevel(buf, OFF, len, id);
            assertTrue(level >= -1 && level <= 255);
            int seq = HeaderExtensions.transportSequence(buf, OFF, len, id);
            assertTrue(seq >= -1 && seq <= 0xFFFF);
            HeaderExtensions.matchesRid(buf, OFF, len, id, new byte[] {'h'});
        }
        rewrite(buf, len, insertId);
        insert(buf, len, insertId, found);
    }

    private static void rewrite(byte[] buf, int len, int id) {
        byte[] copy = buf.clone();
        if (HeaderExtensions.setTransportSequence(copy, OFF, len, id, 0xA5C3)) {
            assertEquals(0xA5C3, HeaderExtensions.transportSequence(copy, OFF, len, id));
            int at = HeaderExtensions.dataOffset(HeaderExtensions.find(buf, OFF, len, id));
            copy[at] = buf[at];
            copy[at + 1] = buf[at + 1];
        }
        assertArrayEquals(buf, copy, "only the two bytes of the value change");
    }

    private static void insert(byte[] buf, int len, int id, long[] found) {
        int n = HeaderExtensions.insertTransportSequence(buf, OFF, len, OUT, 0, id, 0x1234);
        if (n < 0) {
            return;
        }
        assertTrue(n >= len && n <= len + 8 && (n - len) % 4 == 0, "grows by whole words: " + (n - len));
        assertEquals(0x1234, HeaderExtensions.transportSequence(OUT, 0, n, id));
        if (RtpPacket.isValid(buf, OFF, len)) {
            assertTrue(RtpPacket.isValid(OUT, 0, n));
        }
        int header = RtpPacket.headerLength(OUT, 0);
        assertArrayEquals(Arrays.copyOfRange(buf, OFF + header - (n - len), OFF + len), Arrays.copyOfRange(OUT, header, n),
                "everything after the header unchanged");
        for (int other = 0; other < 256; other++) {
            if (other == id) {
                continue;
            }
            long e = HeaderExtensions.find(OUT, 0, n, other);
            assertEquals(found[other] < 0, e < 0, "element " + other);
            if (e >= 0) {
                int was = HeaderExtensions.dataOffset(found[other]);
                int is = HeaderExtensions.dataOffset(e);
                assertArrayEquals(Arrays.copyOfRange(buf, was, was + HeaderExtensions.dataLength(found[other])),
                        Arrays.copyOfRange(OUT, is, is + HeaderExtensions.dataLength(e)), "element " + other);
            }
        }
    }

    @AfterAll
    static void report() throws Exception {
        FuzzStats.write(HeaderExtensionsFuzzTargetTest.class, executions);
    }
}
