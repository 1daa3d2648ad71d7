package org.huisclos.media.stun;

import static org.huisclos.media.stun.Rfc5769Vectors.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * RFC 5769 test vectors: parse every attribute, verify MESSAGE-INTEGRITY and FINGERPRINT, and
 * reproduce each message byte for byte with {@link StunWriter}. §2.4 (long-term credentials,
 * SASLprep'd username and realm) is skipped on purpose: ICE uses short-term credentials only.
 */
class Rfc5769VectorsTest {
    private final StunMessage message = new StunMessage();
    private final StunIntegrity integrity = new StunIntegrity();
    private final StunAddress address = new StunAddress();

    @Test
    void section2_1_sampleRequest_parsesEveryAttribute() {
        byte[] request = hex(SAMPLE_REQUEST);
        assertTrue(StunMessage.looksLikeStun(request, 0, request.length));
        assertTrue(message.parse(request, 0, request.length));

        assertTrue(message.isBindingRequest());
        assertEquals(StunConstants.METHOD_BINDING, message.method());
        assertEquals(StunConstants.CLASS_REQUEST, message.messageClass());
        assertEquals(8, message.transactionIdOffset());
        assertTrue(message.transactionIdEquals(TRANSACTION_ID, 0));
        assertEquals("STUN test client", message.softwareAsString());
        assertEquals(0x6e0001ffL, message.priority());
        assertTrue(message.hasIceControlled());
        assertFalse(message.hasIceControlling());
        assertEquals(0x932ff9b151263b36L, message.tieBreaker());
        assertFalse(message.hasUseCandidate());
        assertEquals("evtj:h6vY", message.usernameAsString());
        assertEquals(9, message.usernameLength());
        assertTrue(message.usernameMatchesLocalUfrag(ascii("evtj")));
        assertFalse(message.usernameMatchesLocalUfrag(ascii("h6vY")));
        assertFalse(message.usernameMatchesLocalUfrag(ascii("evt")));
        assertFalse(message.usernameMatchesLocalUfrag(ascii("evtj:h6vY")));
        assertEquals(20 + 20 + 8 + 12 + 16, message.messageIntegrityOffset());
        assertEquals(message.messageIntegrityOffset() + 24, message.fingerprintOffset());
        assertEquals(-1, message.errorCode());
        assertFalse(message.hasXorMappedAddress());
        assertEquals(0, message.unknownComprehensionRequiredCount());
    }

    @Test
    void section2_1_sampleRequest_verifiesIntegrityAndFingerprint() {
        byte[] request = hex(SAMPLE_REQUEST);
        byte[] before = request.clone();
        assertTrue(message.parse(request, 0, request.length));
        assertTrue(message.verifyFingerprint());
        assertTrue(message.verifyIntegrity(integrity, PASSWORD));
        assertArrayEquals(before, request, "verification must leave the datagram untouched");
    }

    @Test
    void section2_1_sampleRequest_isReproducedByteForByte() {
        StunWriter writer = new StunWriter().software("STUN test client").paddingByte(' ');
        byte[] out = new byte[200];
        int n = writer.writeControlledRequest(out, 0, TRANSACTION_ID, ascii("evtj"), ascii("h6vY"),
                PASSWORD, 0x6e0001ffL, 0x932ff9b151263b36L);
        assertArrayEquals(hex(SAMPLE_REQUEST), Arrays.copyOf(out, n));
    }

    @Test
    void section2_2_sampleIpv4Response() {
        byte[] response = hex(SAMPLE_IPV4_RESPONSE);
        assertTrue(message.parse(response, 0, response.length));
        assertTrue(message.isBindingSuccess());
        assertTrue(message.transactionIdEquals(TRANSACTION_ID, 0));
        assertEquals("test vector", message.softwareAsString());
        assertTrue(message.readXorMappedAddress(address));
        assertEquals(StunAddress.FAMILY_IPV4, address.family());
        assertArrayEquals(IPV4_ADDRESS, Arrays.copyOf(address.addressBytes(), address.addressLength()));
        assertEquals(PORT, address.port());
        assertEquals(-1, message.priority());
        assertNull(message.usernameAsString());
        assertTrue(message.verifyIntegrity(integrity, PASSWORD));
        assertTrue(message.verifyFingerprint());

        assertArrayEquals(response, writeResponse(new StunAddress().set(IPV4_ADDRESS, PORT)));
    }

    @Test
    void section2_3_sampleIpv6Response() {
        byte[] response = hex(SAMPLE_IPV6_RESPONSE);
        assertTrue(message.parse(response, 0, response.length));
        assertTrue(message.isBindingSuccess());
        assertEquals("test vector", message.softwareAsString());
        assertTrue(message.readXorMappedAddress(address));
        assertEquals(StunAddress.FAMILY_IPV6, address.family());
        assertArrayEquals(IPV6_ADDRESS, Arrays.copyOf(address.addressBytes(), address.addressLength()));
        assertEquals(PORT, address.port());
        assertTrue(message.verifyIntegrity(integrity, PASSWORD));
        assertTrue(message.verifyFingerprint());

        assertArrayEquals(response, writeResponse(new StunAddress().set(IPV6_ADDRESS, PORT)));
    }

    /** Answers the §2.1 request (same transaction id as §2.2/§2.3) the way the RFC's server did. */
    private static byte[] writeResponse(StunAddress source) {
        StunMessage request = new StunMessage();
        byte[] requestBytes = hex(SAMPLE_REQUEST);
        assertTrue(request.parse(requestBytes, 0, requestBytes.length));
        StunWriter writer = new StunWriter().software("test vector").paddingByte(' ');
        byte[] out = new byte[200];
        int n = writer.writeBindingSuccess(out, 0, request, source, PASSWORD);
        return Arrays.copyOf(out, n);
    }
}
