package org.huisclos.media.peer;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.huisclos.media.stun.StunIntegrity;
import org.huisclos.media.stun.StunMessage;
import org.huisclos.media.stun.StunWriter;

/**
 * The peer's side of ICE towards an ICE-lite node: it is the controlling agent, so it sends
 * Binding requests (USERNAME serverUfrag:peerUfrag, integrity with the server's password,
 * USE-CANDIDATE) and checks the signed responses. Thread-safe.
 */
public final class StunRequests {
    private static final long PRIORITY = 0x6E7F1EFFL;

    private final byte[] serverUfrag;
    private final byte[] peerUfrag;
    private final byte[] serverPwd;
    private final long tieBreaker = new SecureRandom().nextLong();
    private final StunWriter writer = new StunWriter();
    private final StunMessage parser = new StunMessage();
    private final StunIntegrity integrity = new StunIntegrity();
    private final Set<String> pending = ConcurrentHashMap.newKeySet();
    private volatile long successes;
    private volatile long rejected;

    public StunRequests(String serverUfrag, String peerUfrag, String serverPwd) {
        this.serverUfrag = serverUfrag.getBytes(StandardCharsets.US_ASCII);
        this.peerUfrag = peerUfrag.getBytes(StandardCharsets.US_ASCII);
        this.serverPwd = serverPwd.getBytes(StandardCharsets.US_ASCII);
    }

    /** A fresh Binding request (random transaction id, remembered until its response arrives). */
    public synchronized byte[] request(boolean useCandidate) {
        byte[] out = new byte[256];
        int n = writer.writeControllingRequest(out, 0, null, serverUfrag, peerUfrag, serverPwd, PRIORITY, tieBreaker,
                useCandidate);
        pending.add(HexFormat.of().formatHex(out, 8, 20));
        return Arrays.copyOf(out, n);
    }

    /** A request as anyone could forge it: the given ufrags and password, not remembered. */
    public static byte[] forged(String serverUfrag, String peerUfrag, String password) {
        byte[] out = new byte[256];
        int n = new StunWriter().writeControllingRequest(out, 0, null, serverUfrag.getBytes(StandardCharsets.US_ASCII),
                peerUfrag.getBytes(StandardCharsets.US_ASCII), password.getBytes(StandardCharsets.US_ASCII), PRIORITY,
                1, true);
        return Arrays.copyOf(out, n);
    }

    /** A STUN datagram from the node: counts it as a success only if it answers one of ours and is signed. */
    public synchronized void onDatagram(byte[] buf, int off, int len) {
        if (!parser.parse(buf, off, len) || !parser.isBindingSuccess()
                || !pending.remove(HexFormat.of().formatHex(buf, parser.transactionIdOffset(),
                        parser.transactionIdOffset() + 12))
                || !parser.verifyFingerprint() || !parser.verifyIntegrity(integrity, serverPwd)
                || !parser.hasXorMappedAddress()) {
            rejected++;
            return;
        }
        successes++;
    }

    /** Signed Binding success responses received for our requests. */
    public long successes() {
        return successes;
    }

    /** STUN datagrams that were not a valid, signed answer to one of our requests. */
    public long rejected() {
        return rejected;
    }
}
