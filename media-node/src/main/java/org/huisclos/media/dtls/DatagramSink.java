package org.huisclos.media.dtls;

/**
 * Where a DTLS session writes its outgoing records. The caller binds it to the shared UDP socket and the
 * endpoint's remote address, so the session never sees addresses.
 *
 * <p>Named "sink" rather than "sender" to avoid confusion with {@code org.bouncycastle.tls.DatagramSender}.
 * Implementations must not block for long: they may be called from the handshake worker or from {@code close()}.
 */
@FunctionalInterface
public interface DatagramSink {
    /** Sends one datagram; {@code buf} is only valid during the call, so copy it if it is queued. */
    void send(byte[] buf, int off, int len);
}
