package org.huisclos.media.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.huisclos.media.fuzz.FuzzStats;
import org.junit.jupiter.api.AfterAll;

/**
 * Jazzer target: RFC 4571 framing of ICE-TCP (docs/reliability.md). The first input byte sets how the rest,
 * the byte stream, is cut into reads. Whatever the cuts, the reader hands out exactly the frames a
 * straightforward decoder finds in the whole stream, in order and byte for byte, and reports a bad length
 * exactly when that decoder meets one.
 */
class FrameReaderFuzzTargetTest {
    private static long executions;

    @FuzzTest
    void frames(byte[] data) {
        executions++;
        if (data.length < 1) {
            return;
        }
        int cut = data[0] & 0xFF;
        byte[] stream = Arrays.copyOfRange(data, 1, data.length);
        List<byte[]> expected = new ArrayList<>();
        boolean expectedOk = decode(stream, expected);

        FrameReader reader = new FrameReader();
        List<byte[]> got = new ArrayList<>();
        FrameReader.Sink sink = (buf, off, len) -> got.add(Arrays.copyOfRange(buf, off, off + len));
        boolean ok = true;
        int pos = 0;
        for (int i = 0; pos < stream.length && ok; i++) {
            int n = Math.min(stream.length - pos, 1 + (cut + 37 * i) % (cut + 1) * 13 % 1700);
            ok = reader.feed(stream, pos, n, sink);
            pos += n;
        }
        assertEquals(expectedOk, ok, "bad length reported");
        assertEquals(expected.size(), got.size(), "frames");
        for (int i = 0; i < got.size(); i++) {
            assertArrayEquals(expected.get(i), got.get(i), "frame " + i);
        }
    }

    /** Whole frames of the stream, until a length of 0 or above MAX_PACKET (false) or the end (true). */
    private static boolean decode(byte[] s, List<byte[]> frames) {
        int p = 0;
        while (s.length - p >= 2) {
            int len = ((s[p] & 0xFF) << 8) | (s[p + 1] & 0xFF);
            if (len == 0 || len > FrameReader.MAX_PACKET) {
                return false;
            }
            if (s.length - p - 2 < len) {
                return true;
            }
            frames.add(Arrays.copyOfRange(s, p + 2, p + 2 + len));
            p += 2 + len;
        }
        return true;
    }

    @AfterAll
    static void report() throws Exception {
        FuzzStats.write(FrameReaderFuzzTargetTest.class, executions);
    }
}
