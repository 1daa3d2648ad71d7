package org.huisclos.media.stun;

import static org.huisclos.media.stun.Rfc5769Vectors.*;
import static org.junit.jupiter.api.Assertions.*;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Round trips: what {@link StunWriter} produces, {@link StunMessage} parses and verifies. */
class StunWriterTest {
    private static final byte[] SERVER_UFRAG = ascii("srv1");
    private static final byte[] SERVER_PASSWORD = ascii("serverPassword0123456789");
    private static final byte[] CLIENT_UFRAG = ascii("cli9");

    private final StunWriter writer = new StunWriter();
    private final StunMessage message = new StunMessage();
    private final StunIntegrity integrity = new StunIntegrity();
    private final byte[] out = new byte[1500];

    @Test
    void rfc8445_7_1_1_controllingRequestWithUseCandidate() {
        int n = writer.writeControllingRequest(out, 0, null, SERVER_UFRAG, CLIENT_UFRAG, SERVER_PASSWORD,
                0x7EFFFFFFL, 0x8000000000000001L, true);
        assertTrue(message.parse(out, 0, n));
        assertTrue(message.isBindingRequest());
        assertEquals("srv1:cli9", message.usernameAsString());
        assertTrue(message.usernameMatchesLocalUfrag(SERVER_UFRAG));
        assertEquals(0x7EFFFFFFL, message.priority());
        assertTrue(message.hasIceControlling());
        assertFalse(message.hasIceControlled());
        assertEquals(0x8000000000000001L, message.tieBreaker());
        assertTrue(message.hasUseCandidate());
        assertTrue(message.verifyIntegrity(integrity, SERVER_PASSWORD));
        assertTrue(message.verifyFingerprint());
        assertFalse(Arrays.equals(new byte[12], Arrays.copyOfRange(out, 8, 20)), "random transaction id");
    }

    @Test
    void rfc8445_controlledRequestHasNoUseCandidate() {
        int n = writer.writeControlledRequest(out, 0, TRANSACTION_ID, SERVER_UFRAG, CLIENT_UFRAG,
                SERVER_PASSWORD, 0xFFFFFFFFL, 42);
        assertTrue(message.parse(out, 0, n));
        assertTrue(message.hasIceControlled());
        assertFalse(message.hasUseCandidate());
        assertEquals(0xFFFFFFFFL, message.priority(), "PRIORITY is unsigned");
        assertTrue(message.transactionIdEquals(TRANSACTION_ID, 0));
        assertTrue(message.verifyIntegrity(integrity, SERVER_PASSWORD));
        assertTrue(message.verifyFingerprint());
    }

    @Test
    void rfc5389_15_2_successResponseReflectsTheSourceAddress() throws Exception {
        for (String host : new String[] {"203.0.113.7", "2001:db8::ff00:42:8329"}) {
            int requestLength = writer.writeControllingRequest(out, 0, null, SERVER_UFRAG, CLIENT_UFRAG,
                    SERVER_PASSWORD, 1, 2, false);
            StunMessage request = new StunMessage();
            assertTrue(request.parse(out, 0, requestLength));
            InetSocketAddress source = new InetSocketAddress(InetAddress.getByName(host), 50123);
            byte[] response = new byte[200];
            StunAddress reflected = new StunAddress().set(source);
            int n = writer.writeBindingSuccess(response, 3, request, reflected, SERVER_PASSWORD);

            assertTrue(message.parse(response, 3, n));
            assertTrue(message.isBindingSuccess());
            assertTrue(message.transactionIdEquals(out, 8));
            StunAddress mapped = new StunAddress();
            assertTrue(message.readXorMappedAddress(mapped));
            assertEquals(source, mapped.toSocketAddress());
            assertTrue(message.verifyIntegrity(integrity, SERVER_PASSWORD));
            assertTrue(message.verifyFingerprint());
        }
    }

    @Test
    void ipv4MappedSourceIsReflectedAsIpv4() {
        byte[] mapped = hex("00000000 00000000 0000ffff c0000201");
        StunAddress address = new StunAddress().set(mapped, 9);
        assertEquals(StunAddress.FAMILY_IPV4, address.family());
        assertArrayEquals(IPV4_ADDRESS, Arrays.copyOf(address.addressBytes(), 4));
    }

    @Test
    void rfc8445_7_3_1_1_roleConflictWithIntegrity() {
        int requestLength = writer.writeControllingRequest(out, 0, TRANSACTION_ID, SERVER_UFRAG,
                CLIENT_UFRAG, SERVER_PASSWORD, 1, 2, false);
        StunMessage request = new StunMessage();
        assertTrue(request.parse(out, 0, requestLength));
        byte[] response = new byte[200];
        int n = writer.writeErrorResponse(response, 0, request, StunErrorCode.ROLE_CONFLICT, SERVER_PASSWORD);
        assertTrue(message.parse(response, 0, n));
        assertTrue(message.isBindingError());
        assertEquals(StunConstants.CLASS_ERROR, message.messageClass());
        assertEquals(487, message.errorCode());
        assertEquals("Role Conflict", message.errorReasonAsString());
        assertTrue(message.verifyIntegrity(integrity, SERVER_PASSWORD));
        assertTrue(message.verifyFingerprint());
    }

    @Test
    void rfc5389_10_1_2_unauthorizedAndBadRequestWithoutIntegrity() {
        byte[] request = hex(SAMPLE_REQUEST);
        StunMessage parsed = new StunMessage();
        assertTrue(parsed.parse(request, 0, request.length));
        for (int code : new int[] {StunErrorCode.BAD_REQUEST, StunErrorCode.UNAUTHORIZED}) {
            int n = writer.writeErrorResponse(out, 0, parsed, code, null);
            assertTrue(message.parse(out, 0, n));
            assertEquals(code, message.errorCode());
            assertEquals(-1, message.messageIntegrityOffset());
            assertTrue(message.verifyFingerprint());
            assertTrue(message.transactionIdEquals(TRANSACTION_ID, 0));
        }
    }

    @Test
    void rfc5389_7_3_1_unknownAttributeResponseListsThem() {
        byte[] request = StunMessageMalformedTest.message(0x0001, "7f 01 00 00 7f 02 00 00");
        StunMessage parsed = new StunMessage();
        assertTrue(parsed.parse(request, 0, request.length));
        int n = writer.writeErrorResponse(out, 0, parsed, StunErrorCode.UNKNOWN_ATTRIBUTE, null);
        assertTrue(message.parse(out, 0, n));
        assertEquals(420, message.errorCode());
        assertEquals("Unknown Attribute", message.errorReasonAsString());
        // ERROR-CODE is 4 + 17 bytes, padded to 24; UNKNOWN-ATTRIBUTES follows it.
        int at = 20 + 4 + 24;
        assertArrayEquals(hex("00 0a 00 04 7f 01 7f 02"), Arrays.copyOfRange(out, at, at + 8));
        assertTrue(message.verifyFingerprint());
    }

    @Test
    void tooSmallBufferIsRejectedBeforeWriting() {
        byte[] small = new byte[40];
        assertThrows(IndexOutOfBoundsException.class, () -> writer.writeControllingRequest(small, 0, null,
                SERVER_UFRAG, CLIENT_UFRAG, SERVER_PASSWORD, 1, 2, true));
        assertArrayEquals(new byte[40], small);
    }
}
