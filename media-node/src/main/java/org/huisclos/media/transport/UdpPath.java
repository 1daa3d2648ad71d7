package org.huisclos.media.transport;

import java.net.InetSocketAddress;

/** A remote address on the media UDP port; made once per checked address, so sending allocates nothing. */
public final class UdpPath implements Path {
    public final InetSocketAddress address;
    private final UdpTransport transport;

    public UdpPath(UdpTransport transport, InetSocketAddress address) {
        this.transport = transport;
        this.address = address;
    }

    @Override
    public void send(SendBuffer out, int len) {
        transport.send(out, len, address);
    }

    @Override
    public boolean isOpen() {
        return true;
    }

    @Override
    public String toString() {
        return "udp";
    }
}
