package org.huisclos.media.transport;

import java.net.InetSocketAddress;

/** Receives every datagram of a {@link UdpTransport} on its I/O thread. */
public interface PacketHandler {
    /**
     * @param buf  the transport's receive buffer: valid only during the call, may be modified in place
     * @param from the sender; the JDK reuses the object while the sender stays the same
     */
    void onPacket(byte[] buf, int off, int len, InetSocketAddress from);
}
