package org.huisclos.media.transport;

/** Receives every de-framed packet of every ICE-TCP connection, on the TCP selector thread. */
public interface TcpPacketHandler {
    /** @param buf valid only during the call, may be modified in place */
    void onPacket(byte[] buf, int off, int len, TcpConnection from);

    /** The connection closed (by the peer, an error, or garbage); on the selector thread. */
    default void onClosed(TcpConnection connection) {
    }
}
