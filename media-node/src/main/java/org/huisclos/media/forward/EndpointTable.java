package org.huisclos.media.forward;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * Finds the endpoint a datagram belongs to: STUN requests by the local ICE ufrag in their
 * USERNAME, everything else by the source address that passed a STUN check (RFC 8445 §2.5 lets
 * an ICE-lite agent learn its peers' addresses only from checks).
 */
public final class EndpointTable {
    /** Local ufrags are exactly this many characters of [a-z0-9], so that they pack into a long. */
    public static final int UFRAG_LENGTH = 8;

    private final LongKeyedTable<Endpoint> byUfrag = new LongKeyedTable<>();
    private final LongKeyedTable<Endpoint> byAddress = new LongKeyedTable<>();
    private final java.util.concurrent.atomic.LongAdder displaced = new java.util.concurrent.atomic.LongAdder();

    public void addUfrag(Endpoint e) {
        byUfrag.put(ufragKey(e.localUfrag.getBytes(StandardCharsets.US_ASCII), 0, UFRAG_LENGTH), e);
    }

    /** The endpoint whose local ufrag is the {@code len} bytes at {@code off}, or null. */
    public Endpoint byUfrag(byte[] buf, int off, int len) {
        if (len != UFRAG_LENGTH) {
            return null;
        }
        return byUfrag.get(ufragKey(buf, off, len));
    }

    /**
     * {@code address} now leads to {@code e}. Another endpoint that had it no longer does; endpoints
     * whose different addresses share its key (IPv6 keys are a hash) keep theirs.
     */
    public void addAddress(InetSocketAddress address, Endpoint e) {
        byAddress.add(addressKey(address), e, Endpoint::hasAddress, address);
    }

    public Endpoint byAddress(InetSocketAddress address) {
        // IPv6 addresses may share keys: the endpoint must have this very address.
        return byAddress.find(addressKey(address), Endpoint::hasAddress, address);
    }

    public void remove(Endpoint e) {
        byUfrag.remove(ufragKey(e.localUfrag.getBytes(StandardCharsets.US_ASCII), 0, UFRAG_LENGTH), e);
        for (org.huisclos.media.transport.Path p : e.paths()) {
            forgetPath(p, e); // the participant left: nothing more to carry
        }
    }

    /**
     * {@code e} no longer uses {@code p} (it left, or a newer path pushed it out): its address no
     * longer leads to {@code e}, and an ICE-TCP connection closes.
     */
    /** A path pushed out of {@code e}'s 8 by a new one: forgotten, and counted. */
    public void displaced(org.huisclos.media.transport.Path p, Endpoint e) {
        displaced.increment();
        forgetPath(p, e);
    }

    /** Paths displaced so far (for metrics). */
    public long pathsDisplaced() {
        return displaced.sum();
    }

    public void forgetPath(org.huisclos.media.transport.Path p, Endpoint e) {
        if (p instanceof org.huisclos.media.transport.UdpPath u) {
            byAddress.remove(addressKey(u.address), e);
        } else if (p instanceof org.huisclos.media.transport.TcpConnection c) {
            c.close();
        }
    }

    public int size() {
        return byUfrag.size();
    }

    /** Source addresses that lead to an endpoint now (any thread): at most 8 per endpoint. */
    public int addressCount() {
        return byAddress.size();
    }

    static long ufragKey(byte[] buf, int off, int len) {
        long key = 0;
        for (int i = 0; i < len; i++) {
            key = (key << 8) | (buf[off + i] & 0xff);
        }
        return key;
    }

    /**
     * IPv4: address and port side by side, unique. IPv6: the address's hash and the port, which
     * anyone can make collide (the hash adds up the address's four 32-bit words): the table keeps
     * every endpoint under a shared key and tells them apart by the address itself.
     */
    static long addressKey(InetSocketAddress a) {
        return ((a.getAddress().hashCode() & 0xffffffffL) << 16) | a.getPort();
    }
}
