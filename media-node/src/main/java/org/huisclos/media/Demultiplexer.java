package org.huisclos.media;

import java.net.InetSocketAddress;
import org.huisclos.media.forward.Endpoint;
import org.huisclos.media.forward.EndpointTable;
import org.huisclos.media.forward.Forwarder;
import java.net.Inet4Address;
import org.huisclos.media.stun.StunAddress;
import org.huisclos.media.stun.StunMessage;
import org.huisclos.media.stun.StunWriter;
import org.huisclos.media.transport.DropCounters;
import org.huisclos.media.transport.DropReason;
import org.huisclos.media.transport.PacketHandler;
import org.huisclos.media.transport.SendBuffer;
import org.huisclos.media.transport.UdpTransport;

/**
 * Sorts each datagram on the media port by its first byte (RFC 7983) and hands it on, on the
 * I/O thread: STUN binding requests are checked and answered here (ICE-lite, RFC 8445 §2.5),
 * DTLS records go to their endpoint's handshake, SRTP and SRTCP to the {@link Forwarder}.
 * Anything else, or anything from an address that never passed a STUN check, is dropped and counted.
 */
final class Demultiplexer implements PacketHandler {
    private final EndpointTable endpoints;
    private final DropCounters drops;
    private final StunMessage stun = new StunMessage();
    private final StunWriter stunWriter = new StunWriter();
    private final StunAddress source = new StunAddress();
    private final byte[] ipv4 = new byte[4];
    private final SendBuffer out = new SendBuffer();
    private volatile UdpTransport transport;
    private volatile Forwarder forwarder;
    private final DtlsRecordSink dtls;

    /** Receives the DTLS records of a known endpoint. */
    interface DtlsRecordSink {
        void onDtls(Endpoint endpoint, byte[] buf, int off, int len);
    }

    Demultiplexer(EndpointTable endpoints, DropCounters drops, DtlsRecordSink dtls) {
        this.endpoints = endpoints;
        this.drops = drops;
        this.dtls = dtls;
    }

    /** Completes the wiring: the transport exists only once this handler is bound to it. */
    void attach(UdpTransport transport, Forwarder forwarder) {
        this.transport = transport;
        this.forwarder = forwarder;
    }

    @Override
    public void onPacket(byte[] buf, int off, int len, InetSocketAddress from) {
        if (len < 1 || forwarder == null) {
            drops.drop(DropReason.NOT_WEBRTC);
            return;
        }
        int first = buf[off] & 0xff;
        if (first <= 3) {
            onStun(buf, off, len, from);
        } else if (first >= 20 && first <= 63) {
            Endpoint e = endpoints.byAddress(from);
            if (e == null) {
                drops.drop(DropReason.DTLS_UNKNOWN_ADDRESS);
            } else {
                dtls.onDtls(e, buf, off, len);
            }
        } else if (first >= 128 && first <= 191) {
            Endpoint e = endpoints.byAddress(from);
            if (e == null) {
                drops.drop(DropReason.RTP_UNKNOWN_ADDRESS);
            } else {
                forwarder.onSrtp(e, buf, off, len);
            }
        } else {
            drops.drop(DropReason.NOT_WEBRTC);
        }
    }

    private void onStun(byte[] buf, int off, int len, InetSocketAddress from) {
        if (!stun.parse(buf, off, len)) {
            drops.drop(DropReason.STUN_MALFORMED);
            return;
        }
        if (!stun.isBindingRequest()) {
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
        if (stun.fingerprintOffset() < 0 || !stun.verifyFingerprint()) {
            drops.drop(DropReason.STUN_BAD_FINGERPRINT);
            return;
        }
        if (stun.messageIntegrityOffset() < 0 || !stun.verifyIntegrity(e.stunIntegrity, e.localPwdBytes)) {
            drops.drop(DropReason.STUN_BAD_INTEGRITY);
            return;
        }
        int n = stunWriter.writeBindingSuccess(out.bytes, 0, stun, sourceOf(from), e.localPwdBytes);
        transport.send(out, n, from);
        e.lastConsentNanos = System.nanoTime();
        if (e.addAddress(from)) {
            endpoints.addAddress(from, e);
        }
        // Follow the browser's nomination; before any, use the first pair that works (RFC 8445 §7.3.1.5).
        if (stun.hasUseCandidate() || e.selected == null) {
            e.selected = from;
        }
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
