package org.huisclos.media.stun;

import static org.huisclos.media.stun.Rfc5769Vectors.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Property: whatever arrives on the shared UDP port, parsing and every accessor return normally.
 * Pure noise rarely gets past the header, so half the inputs get a valid header and length field
 * and others are bit-flipped RFC 5769 vectors, which reach the attribute code.
 */
class StunParseFuzzTest {
    private static final long SEED = 0x5354554EL;
    private static final String[] VECTORS = {SAMPLE_REQUEST, SAMPLE_IPV4_RESPONSE, SAMPLE_IPV6_RESPONSE};

    private final StunMessage message = new StunMessage();
    private final StunIntegrity integrity = new StunIntegrity();
    private final StunAddress address = new StunAddress();
    private final StunWriter writer = new StunWriter();
    private final byte[] out = new byte[2048];

    @Test
    void randomBytesNeverThrow() {
        Random random = new Random(SEED);
        int parsed = 0;
        for (int i = 0; i < 5000; i++) {
            int len = random.nextInt(160);
            int off = random.nextInt(8);
            byte[] buf = new byte[off + len + random.nextInt(8)];
            random.nextBytes(buf);
            if (i % 2 == 0 && len >= 20) {
                buf[off] &= 0x01;
                buf[off + 2] = (byte) ((len - 20) >> 8);
                buf[off + 3] = (byte) ((len - 20) & 0xFC);
                System.arraycopy(hex("2112a442"), 0, buf, off + 4, 4);
            }
            parsed += exercise(buf, off, len) ? 1 : 0;
        }
        assertTrue(parsed > 0, "some inputs should reach the attribute parser");
    }

    @Test
    void bitFlippedVectorsNeverThrow() {
        Random random = new Random(SEED + 1);
        for (int i = 0; i < 5000; i++) {
            byte[] original = hex(VECTORS[i % VECTORS.length]);
            byte[] m = original.clone();
            for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                m[random.nextInt(m.length)] ^= (byte) (1 << random.nextInt(8));
            }
            boolean changed = !java.util.Arrays.equals(original, m); // two flips may cancel out
            if (exercise(m, 0, m.length) && message.verifyFingerprint() && changed) {
                fail("a bit flip went unnoticed by FINGERPRINT: iteration " + i);
            }
        }
    }

    private boolean exercise(byte[] buf, int off, int len) {
        StunMessage.looksLikeStun(buf, off, len);
        if (!message.parse(buf, off, len)) {
            return false;
        }
        message.verifyFingerprint();
        message.verifyIntegrity(integrity, PASSWORD);
        message.readXorMappedAddress(address);
        message.usernameMatchesLocalUfrag(ascii("evtj"));
        message.usernameAsString();
        message.softwareAsString();
        message.errorCode();
        message.errorReasonAsString();
        message.priority();
        message.tieBreaker();
        for (int i = 0; i < message.unknownComprehensionRequiredCount(); i++) {
            message.unknownComprehensionRequiredType(i);
        }
        writer.writeErrorResponse(out, 0, message, StunErrorCode.UNKNOWN_ATTRIBUTE, PASSWORD);
        return true;
    }
}
