package org.huisclos.loadgen;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.huisclos.media.stun.StunAddress;
import org.huisclos.media.stun.StunIntegrity;
import org.huisclos.media.stun.StunMessage;
import org.huisclos.media.stun.StunWriter;

/**
 * Answers the connectivity checks a server sends the participant. Janus in ICE-lite mode still checks its
 * peer, and drops the pair unless the check is answered: a Binding request whose USERNAME starts with our
 * ufrag and whose MESSAGE-INTEGRITY verifies with our password gets a success response (XOR-MAPPED-ADDRESS of
 * the sender, integrity with our password, FINGERPRINT). Thread-safe.
 */
final class IceResponder {
    private final byte[] localUfrag;
    private final byte[] localPwd;
    private final StunMessage parser = new StunMessage();
    private final StunIntegrity integrity = new StunIntegrity();
    private final StunWriter writer = new StunWriter();
    private final StunAddress source = new StunAddress();
    private final byte[] out = new byte[256];
    private long answered;
    private long refused;

    IceResponder(String localUfrag, String localPwd) {
        this.localUfrag = localUfrag.getBytes(StandardCharsets.US_ASCII);
        this.localPwd = localPwd.getBytes(StandardCharsets.US_ASCII);
    }

    /** Whether the datagram is a STUN Binding request (else it is for the participant's own requests). */
    static boolean isBindingRequest(byte[] buf, int len) {
        // Message type 0x0001 in the first two bytes; the cookie is checked when parsing.
        return len >= 20 && buf[0] == 0 && buf[1] == 1;
    }

    /** The response to a valid check from {@code from}, or null when it is not one of ours. */
    synchronized byte[] answer(byte[] buf, int off, int len, InetSocketAddress from) {
        if (!parser.parse(buf, off, len) || !parser.isBindingRequest() || !parser.verifyFingerprint()
                || !parser.usernameMatchesLocalUfrag(localUfrag) || !parser.verifyIntegrity(integrity, localPwd)) {
            refused++;
            return null;
        }
        int n = writer.writeBindingSuccess(out, 0, parser, source.set(from), localPwd);
        answered++;
        return Arrays.copyOf(out, n);
    }

    synchronized long answered() {
        return answered;
    }

    synchronized long refused() {
        return refused;
    }
}
