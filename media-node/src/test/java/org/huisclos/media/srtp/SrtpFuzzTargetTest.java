package org.huisclos.media.srtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import org.huisclos.media.fuzz.FuzzStats;
import org.junit.jupiter.api.AfterAll;

/**
 * Jazzer target: SRTP and SRTCP unprotect (docs/reliability.md), both profiles. The first input byte picks
 * profile and mode, the second a bit to flip, the rest is the packet.
 * <ul>
 * <li>noise: unprotecting the bytes as SRTP or SRTCP fails with one of the documented error codes and gives
 * the context no state (nothing authenticates without the keys);</li>
 * <li>round trip: the bytes, made version 2 with a fixed SSRC and the next sequence number, are protected by
 * the sender; with one bit flipped they fail to unprotect at the receiver, as they are they come back
 * exactly.</li>
 * </ul>
 */
class SrtpFuzzTargetTest {
    private static final int SSRC = 0x11223344;
    private static final SrtpContext[] NOISE = new SrtpContext[2];
    private static final SrtpContext[] SENDER = new SrtpContext[2];
    private static final SrtpContext[] RECEIVER = new SrtpContext[2];
    private static final byte[] BUF = new byte[2048];
    private static final byte[] TAMPERED = new byte[2048];
    private static final int MAX_PACKET = 1500;
    private static int sequence;
    private static long executions;

    static {
        SrtpProfile[] profiles = {SrtpProfile.AES_CM_128_HMAC_SHA1_80, SrtpProfile.AEAD_AES_128_GCM};
        for (int i = 0; i < 2; i++) {
            byte[] key = new byte[profiles[i].keyLength];
            byte[] salt = new byte[profiles[i].saltLength];
            Arrays.fill(key, (byte) (0x41 + i));
            Arrays.fill(salt, (byte) (0x17 + i));
            NOISE[i] = new SrtpContext(profiles[i], key, salt);
            SENDER[i] = new SrtpContext(profiles[i], key, salt);
            RECEIVER[i] = new SrtpContext(profiles[i], key, salt);
        }
    }

    @FuzzTest
    void unprotect(byte[] data) {
        executions++;
        if (data.length < 2) {
            return;
        }
        int profile = data[0] & 1;
        int mode = (data[0] >> 1) & 3;
        int flip = data[1] & 0xFF;
        int len = Math.min(data.length - 2, MAX_PACKET);
        System.arraycopy(data, 2, BUF, 0, len);
        switch (mode) {
            case 0 -> noise(NOISE[profile].unprotectRtp(BUF, 0, len), profile);
            case 1 -> noise(NOISE[profile].unprotectRtcp(BUF, 0, len), profile);
            case 2 -> roundTrip(profile, len, flip, false);
            default -> roundTrip(profile, len, flip, true);
        }
    }

    private static void noise(int result, int profile) {
        assertTrue(result == SrtpContext.ERR_AUTH || result == SrtpContext.ERR_REPLAY
                || result == SrtpContext.ERR_MALFORMED, "random bytes gave " + result);
        assertEquals(0, NOISE[profile].ssrcCount(), "nothing authenticated, so no state");
    }

    private static void roundTrip(int profile, int len, int flip, boolean rtcp) {
        if (len < (rtcp ? 8 : 12)) {
            return;
        }
        BUF[0] = (byte) (0x80 | (BUF[0] & 0x3F));
        if (rtcp) {
            BUF[1] = (byte) (200 + (BUF[1] & 7)); // an RTCP packet type, as the demultiplexer requires
            putInt(BUF, 4, SSRC);
        } else {
            BUF[1] &= 0x7F;
            if ((BUF[1] & 0x7F) >= 64 && (BUF[1] & 0x7F) <= 95) {
                BUF[1] = 96;
            }
            BUF[2] = (byte) (sequence >> 8);
            BUF[3] = (byte) sequence;
            putInt(BUF, 8, SSRC);
        }
        byte[] original = Arrays.copyOf(BUF, len);
        int n = rtcp ? SENDER[profile].protectRtcp(BUF, 0, len) : SENDER[profile].protectRtp(BUF, 0, len);
        if (n < 0) {
            assertEquals(SrtpContext.ERR_MALFORMED, n, "only a malformed header fails to protect");
            assertTrue(!rtcp, "any version-2 RTCP of 8 bytes or more protects");
            return;
        }
        if (!rtcp) {
            sequence = (sequence + 1) & 0xFFFF;
        }
        System.arraycopy(BUF, 0, TAMPERED, 0, n);
        TAMPERED[(flip * 7) % n] ^= (byte) (1 << (flip & 7));
        int forged = rtcp ? RECEIVER[profile].unprotectRtcp(TAMPERED, 0, n)
                : RECEIVER[profile].unprotectRtp(TAMPERED, 0, n);
        assertTrue(forged < 0, "a flipped bit must not authenticate");
        int m = rtcp ? RECEIVER[profile].unprotectRtcp(BUF, 0, n) : RECEIVER[profile].unprotectRtp(BUF, 0, n);
        assertEquals(len, m, "protect then unprotect");
        assertArrayEquals(original, Arrays.copyOf(BUF, m));
    }

    private static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    @AfterAll
    static void report() throws Exception {
        FuzzStats.write(SrtpFuzzTargetTest.class, executions);
    }
}
