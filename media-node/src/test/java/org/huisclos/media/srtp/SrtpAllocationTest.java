package org.huisclos.media.srtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The per-packet path must not allocate; also prints a rough throughput figure per profile. */
class SrtpAllocationTest {
    private static final int PAYLOAD = 1200 - 12;
    private static final int BATCH = 500;

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void tenThousandProtectUnprotectAllocateUnder64KiB(SrtpProfile profile) {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        SrtpContext sender = new SrtpContext(profile, new byte[profile.keyLength], new byte[profile.saltLength]);
        SrtpContext receiver = new SrtpContext(profile, new byte[profile.keyLength], new byte[profile.saltLength]);
        byte[] plain = SrtpContextTest.rtp(0, 0x0badcafe, PAYLOAD);
        byte[][] bufs = new byte[BATCH][plain.length];
        int[] seq = {0};
        long[] nanos = new long[2];

        for (int i = 0; i < 40; i++) { // warm-up: 20,000 packets, lets the JIT compile the path
            batch(sender, receiver, plain, bufs, seq, nanos);
        }
        nanos[0] = 0;
        nanos[1] = 0;
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 20; i++) { // 10,000 packets
            batch(sender, receiver, plain, bufs, seq, nanos);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        System.out.printf("%s: %d bytes allocated for 10,000 protect+unprotect of 1,200-byte packets; "
                + "protect %d ns, unprotect %d ns per packet%n",
                profile, allocated, nanos[0] / 10_000, nanos[1] / 10_000);
        assertTrue(allocated < 64 * 1024, profile + " allocated " + allocated + " bytes");
    }

    private static void batch(SrtpContext sender, SrtpContext receiver, byte[] plain, byte[][] bufs, int[] seq,
            long[] nanos) {
        int plainLength = 12 + PAYLOAD;
        for (byte[] buf : bufs) {
            System.arraycopy(plain, 0, buf, 0, plainLength);
            buf[2] = (byte) (seq[0] >>> 8);
            buf[3] = (byte) seq[0]++;
        }
        int wireLength = plainLength + sender.profile().tagLength;
        long t0 = System.nanoTime();
        for (byte[] buf : bufs) {
            if (sender.protectRtp(buf, 0, plainLength) != wireLength) {
                throw new AssertionError("protect failed");
            }
        }
        long t1 = System.nanoTime();
        for (byte[] buf : bufs) {
            if (receiver.unprotectRtp(buf, 0, wireLength) != plainLength) {
                throw new AssertionError("unprotect failed");
            }
        }
        long t2 = System.nanoTime();
        nanos[0] += t1 - t0;
        nanos[1] += t2 - t1;
        assertEquals(plain[100], bufs[0][100]);
    }
}
