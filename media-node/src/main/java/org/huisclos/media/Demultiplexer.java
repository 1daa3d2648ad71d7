package org.huisclos.media;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import org.huisclos.media.forward.Endpoint;
import org.huisclos.media.forward.EndpointTable;
import org.huisclos.media.forward.Forwarder;
import org.huisclos.media.stun.StunAddress;
import org.huisclos.media.stun.StunMessage;
import org.huisclos.media.stun.StunWriter;
import org.huisclos.media.transport.DropCounters;
import org.huisclos.media.transport.DropReason;
import org.huisclos.media.transport.PacketHandler;
import org.huisclos.media.transport.Path;
import org.huisclos.media.transport.SendBuffer;
import org.huisclos.media.transport.TcpConnection;
import org.huisclos.media.transport.TcpPacketHandler;
import org.huisclos.media.transport.UdpTransport;

/**
 * Sorts each packet on the media ports by its first byte (RFC 7983) and hands it on, on the I/O
 * thread that received it: STUN binding requests are checked and answered here (ICE-lite, RFC
 * 8445 §2.5), DTLS records go to their endpoint's handshake, SRTP and SRTCP to the {@link Forwarder}.
 * Anything else, or anything from a path that never passed a STUN check, is dropped and counted.
 *
 * <p>The same instance serves UDP datagrams (the path is the source address) and de-framed ICE-TCP
 * packets (RFC 6544: the path is the connection), both on the node's one I/O thread (the ICE-TCP
 * selector serves the UDP port too): its buffers, its {@link Forwarder}, and the endpoint state
 * they touch ({@link Endpoint#stunIntegrity}, packet caches, RTX sequence numbers) have one owner.
 */
final class Demultiplexer implements PacketHandler, TcpPacketHandler {
    private final EndpointTable endpoints;
    private final DropCounters drops;
    private final StunMessage stun = new StunMessage();
    private final StunWriter stunWriter = new StunWriter();
    private final StunAddress source = new StunAddress();
    private final byte[] ipv4 = new byte[4];
    private final Endpoint.PathChange pathChange = new Endpoint.PathChange();
    private final SendBuffer out = new SendBuffer();
    private final boolean udpBlocked;
    private volatile UdpTransport transport;
    private volatile Forwarder forwarder;
    private final DtlsRecordSink dtls;

    /** Receives the DTLS records of a known endpoint. */
    interface DtlsRecordSink {
        void onDtls(Endpoint endpoint, byte[] buf, int off, int len);
    }

    /** @param udpBlocked the test switch: every UDP datagram is dropped on arrival, as a firewall would */
    Demultiplexer(EndpointTable endpoints, DropCounters drops, DtlsRecordSink dtls, boolean udpBlocked) {
        this.endpoints = endpoints;
        this.drops = drops;
        this.dtls = dtls;
        this.udpBlocked = udpBlocked;
    }

    Demultiplexer(EndpointTable endpoints, DropCounters drops, DtlsRecordSink dtls) {
        this(endpoints, drops, dtls, false);
    }

    /** Completes the wiring: the transport exists only once this handler is bound to it (null for TCP only). */
    void attach(UdpTransport transport, Forwarder forwarder) {
        this.transport = transport;
        this.forwarder = forwarder;
    }

    /** A UDP datagram. */
    @Override
    public void onPacket(byte[] buf, int off, int len, InetSocketAddress from) {
        if (udpBlocked) {
            drops.drop(DropReason.UDP_BLOCKED_FOR_TEST);
            return;
        }
        if (len < 1 || forwarder == null) {
            drops.drop(DropReason.NOT_WEBRTC);
            return;
        }
        int first = buf[off] & 0xff;
        if (first <= 3) {
            onStun(buf, off, len, from, null);
        } else {
            onRecord(first, endpoints.byAddress(from), buf, off, len);
        }
    }

    /** A packet de-framed from an ICE-TCP connection. */
    @Override
    public void onPacket(byte[] buf, int off, int len, TcpConnection from) {
        if (len < 1 || forwarder == null) {
            drops.drop(DropReason.NOT_WEBRTC);
            return;
        }
        int first = buf[off] & 0xff;
        if (first <= 3) {
            onStun(buf, off, len, from.remoteAddress(), from);
        } else {
            Endpoint e = (Endpoint) from.endpoint;
            onRecord(first, e != null && !e.closed && e.hasPath(from) ? e : null, buf, off, len);
        }
    }

    @Override
    public void onClosed(TcpConnection connection) {
        Endpoint e = (Endpoint) connection.endpoint;
        if (e != null) {
            e.removePath(connection);
        }
    }

    /** DTLS or SRTP from a checked path of {@code e} (null when the path passed no check). */
    private void onRecord(int first, Endpoint e, byte[] buf, int off, int len) {
        if (first >= 20 && first <= 63) {
            if (e == null) {
                drops.drop(DropReason.DTLS_UNKNOWN_ADDRESS);
            } else {
                dtls.onDtls(e, buf, off, len);
            }
        } else if (first >= 128 && first <= 191) {
            if (e == null) {
                drops.drop(DropReason.RTP_UNKNOWN_ADDRESS);
            } else {
                forwarder.onSrtp(e, buf, off, len);
            }
        } else {
            drops.drop(DropReason.NOT_WEBRTC);
        }
    }

    /** @param tcp the connection the request came on, or null for UDP from {@code from} */
    private void onStun(byte[] buf, int off, int len, InetSocketAddress from, TcpConnection tcp) {
        if (!stun.parse(buf, off, len)) {
            drops.drop(DropReason.STUN_MALFORMED);
            return;
        }
        if (!stun.isBindingRequest()) {
            Endpoint link = tcp == null && stun.isBindingSuccess() ? endpoints.byAddress(from) : null;
            if (link != null && link.relay && link.linkHook != null) {
                // A relay link's consent check answered: the one kind of response an ICE-lite node gets.
                if (!link.linkHook.onStunResponse(stun)) {
                    drops.drop(DropReason.RELAY_STUN_BAD_RESPONSE);
                }
                return;
            }
            // Indications are keep-alives; responses never come to an ICE-lite agent.
            drops.drop(DropReason.STUN_NOT_REQUEST);
            return;
        }
        Endpoint e = stun.usernameOffset() < 0 ? null
                : endpoints.byUfrag(buf, stun.usernameOffset(), localUfragLength(buf, stun.usernameOffset(), stun.usernameLength()));
        if (e == null || e.closed) {
            drops.drop(DropReason.STUN_UNKNOWN_UFRAG);
            return;
        }
        if (e.relay) {
            onRelayStun(e, from, tcp);
            return;
        }
        if (stun.fingerprintOffset() < 0 || !stun.verifyFingerprint()) {
            drops.drop(DropReason.STUN_BAD_FINGERPRINT);
            return;
        }
        if (stun.messageIntegrityOffset() < 0 || !stun.verifyIntegrity(e.stunIntegrity, e.localPwdBytes)) {
            drops.drop(DropReason.STUN_BAD_INTEGRITY);
            return;
        }
        int n = stunWriter.writeBindingSuccess(out.bytes, 0, stun, sourceOf(from), e.localPwdBytes);
        Path path;
        if (tcp == null) {
            path = e.udpPath(transport, from, pathChange);
            if (pathChange.created) {
                endpoints.addAddress(from, e);
            }
        } else {
            if (tcp.endpoint != null && tcp.endpoint != e) {
                // One ICE-TCP connection carries one endpoint's pair (RFC 6544 §7.1): refuse a second ufrag.
                drops.drop(DropReason.STUN_UNKNOWN_UFRAG);
                return;
            }
            tcp.endpoint = e;
            e.addPath(tcp, pathChange);
            path = tcp;
        }
        if (pathChange.displaced != null) {
            endpoints.displaced(pathChange.displaced, e); // at most MAX_ADDRESSES paths per endpoint, indexed or open
            pathChange.displaced = null;
        }
        path.send(out, n);
        e.lastConsentNanos = System.nanoTime();
        // Follow the browser's nomination; before any, use the first pair that works (RFC 8445 §7.3.1.5).
        Path current = e.selected;
        if (stun.hasUseCandidate() || current == null || !current.isOpen()) {
            e.selected = path;
        }
    }

    /**
     * A consent check from the peer node of a relay link: it must be signed with the link's password
     * and come from the address pinned when the link was opened over the cluster's event bus (never
     * learnt from the check itself, so knowing the password is not enough to move the link).
     */
    private void onRelayStun(Endpoint e, InetSocketAddress from, TcpConnection tcp) {
        if (stun.fingerprintOffset() < 0 || !stun.verifyFingerprint() || stun.messageIntegrityOffset() < 0
                || !stun.verifyIntegrity(e.stunIntegrity, e.localPwdBytes)) {
            drops.drop(DropReason.RELAY_STUN_UNAUTHENTICATED);
            return;
        }
        Path path = e.selected;
        if (tcp != null || path == null || !e.hasAddress(from)) {
            drops.drop(DropReason.RELAY_WRONG_ADDRESS);
            return;
        }
        int n = stunWriter.writeBindingSuccess(out.bytes, 0, stun, sourceOf(from), e.localPwdBytes);
        path.send(out, n);
        e.lastConsentNanos = System.nanoTime();
    }

    /** USERNAME is "local:remote" (RFC 8445 §7.2.2); the length of the part before the colon. */
    private static int localUfragLength(byte[] buf, int off, int len) {
        for (int i = 0; i < len; i++) {
            if (buf[off + i] == ':') {
                return i;
            }
        }
        return len;
    }

    /** The source as STUN writes it; for IPv4 without the copy InetAddress.getAddress() makes. */
    private StunAddress sourceOf(InetSocketAddress from) {
        if (from.getAddress() instanceof Inet4Address v4) {
            int a = v4.hashCode(); // Inet4Address's hash is its address
            ipv4[0] = (byte) (a >>> 24);
            ipv4[1] = (byte) (a >>> 16);
            ipv4[2] = (byte) (a >>> 8);
            ipv4[3] = (byte) a;
            return source.set(ipv4, from.getPort());
        }
        return source.set(from);
    }
}
