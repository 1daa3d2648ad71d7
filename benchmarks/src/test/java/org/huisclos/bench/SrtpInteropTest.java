package org.huisclos.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.huisclos.media.srtp.SrtpProfile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Huisclos' SRTP and jitsi-srtp interoperate in both directions, for both profiles, from the same master key
 * and salt: so the benchmark compares the same work. (Uses jitsi-srtp's default crypto selection.)
 */
class SrtpInteropTest {
    /** Packets per direction, starting at sequence number 65,500: enough to wrap it (ROC 0 -> 1). */
    private static final int PACKETS = 70;

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (seed + 7 * i);
        }
        return b;
    }

    private static void oneWay(SrtpProfile profile, Srtp.Impl from, Srtp.Impl to) {
        byte[] key = bytes(profile.keyLength, 3);
        byte[] salt = bytes(profile.saltLength, 91);
        Srtp sender = Srtp.create(from, profile, true, key, salt, SrtpBenchmark.SSRC);
        Srtp receiver = Srtp.create(to, profile, false, key, salt, SrtpBenchmark.SSRC);
        for (int seq = 65500; seq < 65500 + PACKETS; seq++) { // wraps the sequence number: ROC 0 -> 1
            byte[] plain = new byte[SrtpBenchmark.PACKET + Srtp.SPARE];
            SrtpBenchmark.rtpPacket(plain, seq & 0xffff);
            byte[] buf = plain.clone();
            int n = sender.protect(buf, 0, SrtpBenchmark.PACKET);
            assertEquals(SrtpBenchmark.PACKET + profile.tagLength, n, from + " protect " + profile);
            assertTrue(!Arrays.equals(plain, 12, SrtpBenchmark.PACKET, buf, 12, SrtpBenchmark.PACKET),
                    "payload encrypted");
            int m = receiver.unprotect(buf, 0, n);
            assertEquals(SrtpBenchmark.PACKET, m, to + " unprotect " + profile + " seq " + seq);
            assertArrayEquals(Arrays.copyOf(plain, m), Arrays.copyOf(buf, m));
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void oursToJitsi(SrtpProfile profile) {
        oneWay(profile, Srtp.Impl.HUISCLOS, Srtp.Impl.JITSI);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void jitsiToOurs(SrtpProfile profile) {
        oneWay(profile, Srtp.Impl.JITSI, Srtp.Impl.HUISCLOS);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void oursToOurs(SrtpProfile profile) {
        oneWay(profile, Srtp.Impl.HUISCLOS, Srtp.Impl.HUISCLOS);
    }
}
