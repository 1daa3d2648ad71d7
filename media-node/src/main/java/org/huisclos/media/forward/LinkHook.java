package org.huisclos.media.forward;

import org.huisclos.media.stun.StunMessage;

/**
 * What a relay link to another media node (org.huisclos.media.relay) gives its {@link Endpoint}: the
 * forwarder counts the packets it moves over the link, and the demultiplexer asks whether a STUN
 * response is the peer node's signed answer to a consent check. Defined here so forwarding does not
 * depend on the relay package. Called on the I/O thread; nothing may allocate per packet.
 */
public interface LinkHook {
    /** An authenticated SRTP ({@code rtcp} false) or SRTCP packet of {@code len} bytes from the peer node. */
    void received(int len, boolean rtcp);

    /** A protected packet of {@code len} bytes at the start of {@code buf} sent to the peer node. */
    void sent(byte[] buf, int len);

    /** A binding success from the peer's address: true when it answers our latest check, signed by the peer. */
    boolean onStunResponse(StunMessage m);
}
