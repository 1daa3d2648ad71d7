package org.huisclos.media.stun;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * A reusable, mutable transport address (family, address bytes, port): what XOR-MAPPED-ADDRESS
 * decodes into and what the writer encodes, without creating InetAddress objects on the hot path.
 */
public final class StunAddress {
    public static final int FAMILY_IPV4 = 0x01;
    public static final int FAMILY_IPV6 = 0x02;

    private final byte[] address = new byte[16];
    private int family;
    private int port;

    /** {@link #FAMILY_IPV4}, {@link #FAMILY_IPV6}, or 0 when nothing has been set. */
    public int family() {
        return family;
    }

    public int port() {
        return port;
    }

    public int addressLength() {
        return family == FAMILY_IPV6 ? 16 : family == FAMILY_IPV4 ? 4 : 0;
    }

    /** The internal array; only the first {@link #addressLength()} bytes are meaningful. */
    public byte[] addressBytes() {
        return address;
    }

    /** Sets from address bytes in {@link InetAddress#getAddress()} form (4 or 16 bytes). */
    public StunAddress set(byte[] addr, int port) {
        return set(addr, 0, addr.length, port);
    }

    public StunAddress set(byte[] addr, int addrOff, int addrLen, int port) {
        if (addrLen != 4 && addrLen != 16) {
            throw new IllegalArgumentException("address must be 4 or 16 bytes, got " + addrLen);
        }
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        this.port = port;
        if (addrLen == 16 && isIpv4Mapped(addr, addrOff)) {
            // A dual-stack socket reports IPv4 peers as ::ffff:a.b.c.d; the peer sent over IPv4
            // and expects to see its IPv4 address reflected.
            System.arraycopy(addr, addrOff + 12, address, 0, 4);
            family = FAMILY_IPV4;
        } else {
            System.arraycopy(addr, addrOff, address, 0, addrLen);
            family = addrLen == 4 ? FAMILY_IPV4 : FAMILY_IPV6;
        }
        return this;
    }

    /** Convenience for the non-hot path; {@link InetAddress#getAddress()} allocates a copy. */
    public StunAddress set(InetSocketAddress socketAddress) {
        return set(socketAddress.getAddress().getAddress(), socketAddress.getPort());
    }

    /** Used by the parser, which writes the address bytes directly into {@link #addressBytes()}. */
    void setDecoded(int family, int port) {
        this.family = family;
        this.port = port;
    }

    public void clear() {
        family = 0;
        port = 0;
    }

    /** Allocates; for logging-free diagnostics, tests and the rare non-hot path. */
    public InetSocketAddress toSocketAddress() {
        if (family == 0) {
            throw new IllegalStateException("no address set");
        }
        try {
            byte[] copy = new byte[addressLength()];
            System.arraycopy(address, 0, copy, 0, copy.length);
            return new InetSocketAddress(InetAddress.getByAddress(copy), port);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // cannot happen for 4 or 16 bytes
        }
    }

    @Override
    public String toString() {
        return family == 0 ? "unset" : toSocketAddress().toString();
    }

    private static boolean isIpv4Mapped(byte[] a, int off) {
        for (int i = 0; i < 10; i++) {
            if (a[off + i] != 0) {
                return false;
            }
        }
        return a[off + 10] == (byte) 0xFF && a[off + 11] == (byte) 0xFF;
    }
}
