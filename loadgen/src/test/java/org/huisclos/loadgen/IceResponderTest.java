package org.huisclos.loadgen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.huisclos.media.stun.StunAddress;
import org.huisclos.media.stun.StunIntegrity;
import org.huisclos.media.stun.StunMessage;
import org.huisclos.media.stun.StunWriter;
import org.junit.jupiter.api.Test;

/** The participant's answer to a server's connectivity check, read back with media-node's STUN parser. */
class IceResponderTest {
    private static final String OUR_UFRAG = "ourUfrag";
    private static final String OUR_PWD = "ourPasswordOf24Characters";
    private static final InetSocketAddress JANUS = new InetSocketAddress("127.0.0.1", 37421);

    /** A check as an ICE-lite server (always controlled) sends it: USERNAME ours:its, integrity with our pwd. */
    private static byte[] check(String toUfrag, String password) {
        byte[] out = new byte[256];
        int n = new StunWriter().writeControlledRequest(out, 0, null, toUfrag.getBytes(StandardCharsets.US_ASCII),
                "janus".getBytes(StandardCharsets.US_ASCII), password.getBytes(StandardCharsets.US_ASCII),
                0x7e7f00ffL, 42);
        return Arrays.copyOf(out, n);
    }

    @Test
    void answersAValidCheckWithASignedSuccessCarryingTheSendersAddress() {
        IceResponder responder = new IceResponder(OUR_UFRAG, OUR_PWD);
        byte[] request = check(OUR_UFRAG, OUR_PWD);
        assertTrue(IceResponder.isBindingRequest(request, request.length));

        byte[] response = responder.answer(request, 0, request.length, JANUS);

        assertNotNull(response);
        StunMessage m = new StunMessage();
        assertTrue(m.parse(response, 0, response.length));
        assertTrue(m.isBindingSuccess());
        assertArrayEquals(Arrays.copyOfRange(request, 8, 20), Arrays.copyOfRange(response, 8, 20), "transaction id");
        assertTrue(m.verifyFingerprint());
        assertTrue(m.verifyIntegrity(new StunIntegrity(), OUR_PWD.getBytes(StandardCharsets.US_ASCII)));
        StunAddress mapped = new StunAddress();
        assertTrue(m.readXorMappedAddress(mapped));
        assertEquals(JANUS, mapped.toSocketAddress());
        assertEquals(1, responder.answered());
    }

    @Test
    void refusesChecksWithAnotherUfragOrPassword() {
        IceResponder responder = new IceResponder(OUR_UFRAG, OUR_PWD);
        byte[] otherUfrag = check("someoneElse", OUR_PWD);
        byte[] wrongPwd = check(OUR_UFRAG, "notOurPasswordAtAllxxxxx");

        assertNull(responder.answer(otherUfrag, 0, otherUfrag.length, JANUS));
        assertNull(responder.answer(wrongPwd, 0, wrongPwd.length, JANUS));
        assertEquals(0, responder.answered());
        assertEquals(2, responder.refused());
    }

    @Test
    void aResponseIsNotTakenForARequest() {
        byte[] request = check(OUR_UFRAG, OUR_PWD);
        byte[] response = new IceResponder(OUR_UFRAG, OUR_PWD).answer(request, 0, request.length, JANUS);
        assertTrue(!IceResponder.isBindingRequest(response, response.length));
    }
}
