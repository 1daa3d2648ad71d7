package org.huisclos.media.transport;

/**
 * Where an endpoint's packets go: a UDP remote address ({@link UdpPath}) or an ICE-TCP connection
 * ({@link TcpConnection}). An endpoint learns its paths from STUN checks and sends on the selected one.
 * Sending allocates nothing; any thread may send.
 */
public interface Path {
    /** Sends {@code len} bytes from the start of {@code out}; a packet that cannot go now is lost, as on UDP. */
    void send(SendBuffer out, int len);

    /** Whether packets can still go this way (a TCP connection closes; a UDP address is always open). */
    boolean isOpen();
}
