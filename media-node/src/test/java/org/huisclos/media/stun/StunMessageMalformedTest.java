package org.huisclos.media.stun;

import static org.huisclos.media.stun.Rfc5769Vectors.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Negative and edge cases of RFC 5389 §6 (header), §15 (attributes) and RFC 7983 demultiplexing. */
class StunMessageMalformedTest {
    private final StunMessage message = new StunMessage();
    private final StunIntegrity integrity = new StunIntegrity();

    /** A message of the given type around hex attributes, with a correct length field. */
    static byte[] message(int type, String attributesHex) {
        byte[] body = hex(attributesHex);
        byte[] m = new byte[20 + body.length];
        m[0] = (byte) (type >> 8);
        m[1] = (byte) type;
        m[2] = (byte) (body.length >> 8);
        m[3] = (byte) body.length;
        System.arraycopy(hex("2112a442"), 0, m, 4, 4);
        System.arraycopy(TRANSACTION_ID, 0, m, 8, 12);
        System.arraycopy(body, 0, m, 20, body.length);
        return m;
    }

    private boolean parse(byte[] m) {
        return message.parse(m, 0, m.length);
    }

    @Test
    void section6_truncatedMessageIsRejected() {
        byte[] request = hex(SAMPLE_REQUEST);
        assertFalse(message.parse(request, 0, request.length - 4), "length field no longer matches");
        assertFalse(message.parse(request, 0, 19), "shorter than a header");
        assertFalse(message.parse(request, 0, 0));
        assertFalse(message.parse(request, 8, request.length), "range beyond the array");
        assertFalse(message.parse(null, 0, 20));
        assertFalse(message.isValid());
    }

    @Test
    void section6_trailingBytesAfterTheMessageAreRejected() {
        byte[] padded = Arrays.copyOf(hex(SAMPLE_REQUEST), hex(SAMPLE_REQUEST).length + 4);
        assertFalse(parse(padded));
    }

    @Test
    void section6_wrongMagicCookieIsRejected() {
        byte[] request = hex(SAMPLE_REQUEST);
        request[5] ^= 1;
        assertFalse(StunMessage.looksLikeStun(request, 0, request.length));
        assertFalse(parse(request));
    }

    @Test
    void section6_lengthNotMultipleOfFourIsRejected() {
        byte[] m = message(0x0001, "80 22 00 01 41");
        assertFalse(parse(m));
    }

    @Test
    void section6_firstTwoBitsMustBeZero() {
        byte[] request = hex(SAMPLE_REQUEST);
        request[0] |= 0x40;
        assertFalse(parse(request));
    }

    @Test
    void section15_attributeLengthBeyondTheEndIsRejected() {
        byte[] request = hex(SAMPLE_REQUEST);
        request[20 + 3] = (byte) 0xF0; // SOFTWARE claims 240 bytes
        assertFalse(parse(request));
        // Value fits but its padding does not.
        assertFalse(parse(message(0x0001, "80 22 00 05 41 42 43 44")));
    }

    @Test
    void section15_attributesOfTheWrongSizeAreRejected() {
        assertFalse(parse(message(0x0001, "00 24 00 02 00 00 00 00")), "PRIORITY must be 4 bytes");
        assertFalse(parse(message(0x0001, "80 2a 00 04 00 00 00 00")), "ICE-CONTROLLING must be 8 bytes");
        assertFalse(parse(message(0x0001, "00 25 00 04 00 00 00 00")), "USE-CANDIDATE must be empty");
        assertFalse(parse(message(0x0101, "00 20 00 0c 00 01 00 00 00 00 00 00 00 00 00 00")));
        assertFalse(parse(message(0x0001, "80 28 00 08 00 00 00 00 00 00 00 00")));
    }

    @Test
    void section15_5_nothingMayFollowFingerprint() {
        assertFalse(parse(message(0x0001, "80 28 00 04 00 00 00 00 00 24 00 04 00 00 00 01")));
    }

    @Test
    void section15_4_attributesAfterIntegrityAreIgnored() {
        // USE-CANDIDATE and PRIORITY slipped in after MESSAGE-INTEGRITY carry no authentication.
        byte[] m = message(0x0001, "00 08 00 14" + "00".repeat(20) + "00 25 00 00 00 24 00 04 00 00 00 07");
        assertTrue(parse(m));
        assertFalse(message.hasUseCandidate());
        assertEquals(-1, message.priority());
        assertEquals(20, message.messageIntegrityOffset());
    }

    @Test
    void section15_unknownAttributes() {
        // 0xC057 (optional) is ignored, 0x7F01 (comprehension-required) is remembered for a 420.
        byte[] m = message(0x0001, "c0 57 00 04 00 01 00 0a 7f 01 00 00 00 24 00 04 00 00 00 07");
        assertTrue(parse(m));
        assertEquals(7, message.priority());
        assertEquals(1, message.unknownComprehensionRequiredCount());
        assertEquals(0x7F01, message.unknownComprehensionRequiredType(0));
    }

    @Test
    void section15_firstOccurrenceWins() {
        assertTrue(parse(message(0x0001, "00 24 00 04 00 00 00 01 00 24 00 04 00 00 00 02")));
        assertEquals(1, message.priority());
    }

    @Test
    void section15_4_wrongPasswordFailsIntegrity() {
        byte[] request = hex(SAMPLE_REQUEST);
        assertTrue(parse(request));
        assertFalse(message.verifyIntegrity(integrity, ascii("VOkJxbRl1RmTxUk/WvJxBT")));
        assertFalse(message.verifyIntegrity(integrity, new byte[0]));
        assertTrue(message.verifyIntegrity(integrity, PASSWORD), "re-keying back works");
    }

    @Test
    void section15_4_tamperedMessageFailsIntegrity() {
        byte[] request = hex(SAMPLE_REQUEST);
        request[20 + 4 + 16 + 4 + 3] ^= 1; // PRIORITY, which MESSAGE-INTEGRITY covers
        assertTrue(parse(request));
        assertFalse(message.verifyIntegrity(integrity, PASSWORD));
    }

    @Test
    void section15_5_flippedBitFailsFingerprint() {
        for (String vector : new String[] {SAMPLE_REQUEST, SAMPLE_IPV4_RESPONSE, SAMPLE_IPV6_RESPONSE}) {
            byte[] m = hex(vector);
            m[30] ^= 0x10; // inside SOFTWARE: still parses, but the CRC no longer matches
            assertTrue(parse(m));
            assertFalse(message.verifyFingerprint());
        }
    }

    @Test
    void section15_missingIntegrityOrFingerprintDoNotVerify() {
        assertTrue(parse(message(0x0001, "")));
        assertFalse(message.verifyFingerprint());
        assertFalse(message.verifyIntegrity(integrity, PASSWORD));
        assertTrue(message.isBindingRequest());
    }

    @Test
    void rfc7983_nonStunFirstByteIsNotStun() {
        byte[] request = hex(SAMPLE_REQUEST);
        for (int first : new int[] {0x16, 0x17, 0x80, 0x90, 0xBF, 0x40, 0x04}) {
            byte[] m = request.clone();
            m[0] = (byte) first;
            assertFalse(StunMessage.looksLikeStun(m, 0, m.length), "first byte " + first);
            // parse() only insists on the two zero bits of RFC 5389 §6; 0x04..0x3F is an unknown
            // method there, which the demultiplexer has already routed elsewhere.
            assertEquals((first & 0xC0) == 0, parse(m), "first byte " + first);
            assertFalse(message.isBindingRequest());
        }
        assertFalse(StunMessage.looksLikeStun(request, 0, 19));
        assertTrue(StunMessage.looksLikeStun(request, 0, 20));
    }

    @Test
    void parsesAtAnOffsetInsideALargerBuffer() {
        byte[] request = hex(SAMPLE_REQUEST);
        byte[] big = new byte[request.length + 37];
        System.arraycopy(request, 0, big, 13, request.length);
        assertTrue(StunMessage.looksLikeStun(big, 13, request.length));
        assertTrue(message.parse(big, 13, request.length));
        assertTrue(message.verifyFingerprint());
        assertTrue(message.verifyIntegrity(integrity, PASSWORD));
        assertTrue(message.usernameMatchesLocalUfrag(ascii("evtj")));
        assertEquals(21, message.transactionIdOffset());
    }

    @Test
    void failedParseClearsThePreviousView() {
        byte[] request = hex(SAMPLE_REQUEST);
        assertTrue(parse(request));
        assertFalse(message.parse(request, 0, request.length - 4));
        assertEquals(-1, message.priority());
        assertEquals(-1, message.usernameOffset());
        assertFalse(message.isBindingRequest());
    }
}
