package org.huisclos.media.stun;

import static org.huisclos.media.stun.Rfc5769Vectors.*;
import static org.junit.jupiter.api.Assertions.*;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * The hot path (a Binding request every few hundred ms per participant on one event loop) must not
 * feed the garbage collector. Measured with the per-thread allocation counter, after a warm-up that
 * also does the one-off HMAC keying.
 */
class StunAllocationTest {
    private static final int ITERATIONS = 10_000;
    private static final long BUDGET_BYTES = 64 * 1024;

    private final StunMessage request = new StunMessage();
    private final StunIntegrity integrity = new StunIntegrity();
    private final StunWriter writer = new StunWriter();
    private final StunAddress source = new StunAddress().set(IPV6_ADDRESS, PORT);
    private final byte[] datagram = hex(SAMPLE_REQUEST);
    private final byte[] localUfrag = ascii("evtj");
    private final byte[] out = new byte[1500];

    @Test
    void parseFingerprintAndSuccessResponseDoNotAllocate() {
        assertAllocatesLessThan(BUDGET_BYTES, false);
    }

    @Test
    void includingIntegrityVerificationDoesNotAllocate() {
        // Bouncy Castle's HMac writes into our buffer; javax.crypto.Mac.doFinal(byte[], int) would
        // allocate its result and inner digests on every call.
        assertAllocatesLessThan(BUDGET_BYTES, true);
    }

    private void assertAllocatesLessThan(long budget, boolean verifyIntegrity) {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertTrue(threads.isThreadAllocatedMemorySupported());
        int sink = 0;
        for (int i = 0; i < 3 * ITERATIONS; i++) {
            sink += handle(verifyIntegrity);
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < ITERATIONS; i++) {
            sink += handle(verifyIntegrity);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        System.out.printf("STUN hot path (integrity=%s): %d bytes allocated in %d iterations%n",
                verifyIntegrity, allocated, ITERATIONS);
        assertTrue(sink > 0);
        assertTrue(allocated < budget, allocated + " bytes allocated in " + ITERATIONS + " iterations");
    }

    /** What the transport does with one request: demultiplex, parse, check, answer. */
    private int handle(boolean verifyIntegrity) {
        if (!StunMessage.looksLikeStun(datagram, 0, datagram.length)
                || !request.parse(datagram, 0, datagram.length)
                || !request.verifyFingerprint()
                || !request.usernameMatchesLocalUfrag(localUfrag)
                || (verifyIntegrity && !request.verifyIntegrity(integrity, PASSWORD))) {
            throw new AssertionError("the RFC 5769 request must pass");
        }
        return writer.writeBindingSuccess(out, 0, request, source, PASSWORD);
    }
}
