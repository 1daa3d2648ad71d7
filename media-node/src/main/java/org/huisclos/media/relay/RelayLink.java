package org.huisclos.media.relay;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import org.huisclos.media.dtls.DtlsRole;
import org.huisclos.media.forward.Endpoint;
import org.huisclos.media.forward.PublishedStream;
import org.huisclos.media.rtp.ReceiveStatistics;

/**
 * One room's relay link between this node and a peer node: a special {@link Endpoint} (its
 * {@code relay} flag set) whose address, ICE credentials and DTLS fingerprint come from the
 * {@code relay-open} exchange on the cluster's event bus. Towards the link it subscribes to every
 * stream published here (each crosses once, whatever the number of subscribers over there); from
 * it, it publishes the peer's announced streams, offered here like any other. Control thread only,
 * except the counters ({@link #stats()}).
 */
public final class RelayLink {
    public final String roomKey;
    public final String peerNode;
    final Endpoint endpoint;
    /** This node's DTLS role: the node with the smaller id is the client. */
    final DtlsRole role;
    InetSocketAddress peerAddress;
    String peerUfrag;
    String peerPwd;
    String peerFingerprint;
    LinkStats stats;
    /** Streams the peer announced, by media SSRC, published here by {@link #endpoint}. */
    final Map<Long, PublishedStream> remoteStreams = new HashMap<>();

    RelayLink(String roomKey, String peerNode, Endpoint endpoint, DtlsRole role) {
        this.roomKey = roomKey;
        this.peerNode = peerNode;
        this.endpoint = endpoint;
        this.role = role;
    }

    /** Counters of the link; null until the peer's parameters arrived. */
    public LinkStats stats() {
        return stats;
    }

    public DtlsRole role() {
        return role;
    }

    /** Whether DTLS gave the link its SRTP keys (media can cross). */
    public boolean connected() {
        return endpoint.connected();
    }

    public boolean closed() {
        return endpoint.closed;
    }

    /** The link's endpoint (its published streams are the peer's, its subscriptions what crosses to the peer). */
    public Endpoint endpoint() {
        return endpoint;
    }

    /** Packets lost on the way in (peer to here), over every relayed stream, from their receive statistics. */
    public long packetsLostIn() {
        long lost = 0;
        for (PublishedStream s : endpoint.published()) {
            lost += Math.max(0, s.statistics().cumulativeLost());
        }
        return lost;
    }

    /** Packets expected on the way in (from sequence numbers), over every relayed stream. */
    public long packetsExpectedIn() {
        long expected = 0;
        for (PublishedStream s : endpoint.published()) {
            ReceiveStatistics st = s.statistics();
            expected += st.expected();
        }
        return expected;
    }
}
