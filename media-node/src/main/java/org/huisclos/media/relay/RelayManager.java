package org.huisclos.media.relay;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.huisclos.contract.Addresses;
import org.huisclos.contract.BadMessage;
import org.huisclos.contract.MediaCodec;
import org.huisclos.contract.MediaCommand;
import org.huisclos.contract.MediaRequest;
import org.huisclos.media.dtls.DtlsRole;
import org.huisclos.media.forward.Conference;
import org.huisclos.media.forward.Endpoint;
import org.huisclos.media.forward.EndpointTable;
import org.huisclos.media.forward.Refusal;
import org.huisclos.media.forward.Room;
import org.huisclos.media.sdp.Codec;
import org.huisclos.media.stun.StunWriter;
import org.huisclos.media.transport.SendBuffer;
import org.huisclos.media.transport.UdpTransport;

/**
 * The media node's relay links (one per room and peer node), set up and torn down over the event
 * bus (docs/cluster-protocol.md, "Relay links"). Runs on the media node's context, like the
 * {@link Conference}; only the counters are touched by the I/O thread.
 */
public final class RelayManager {
    private static final System.Logger LOG = System.getLogger(RelayManager.class.getName());
    private static final long PRIORITY = 0x7E7F00FFL;
    static final long CONSENT_TIMEOUT_NANOS = 30_000_000_000L;
    private static final DeliveryOptions REQUEST = new DeliveryOptions().setSendTimeout(MediaRequest.TIMEOUT_MS);

    /** Starts a link's DTLS handshake in the given role, with the peer node's pinned fingerprint. */
    public interface Handshaker {
        void start(Endpoint link, String remoteFingerprint, DtlsRole role);
    }

    private final Vertx vertx;
    private final String nodeId;
    private final String address;
    private final String fingerprint;
    private final Conference conference;
    private final Handshaker handshaker;
    private final UdpTransport transport;
    private final EndpointTable table;
    private final Map<String, RelayLink> links = new HashMap<>();
    private final RelayTotals totals = new RelayTotals();
    private final StunWriter stun = new StunWriter();
    private final SendBuffer out = new SendBuffer();
    private final long tieBreaker = new SecureRandom().nextLong();

    /** @param address this node's media address as the peer nodes reach it, "ip:port" */
    public RelayManager(Vertx vertx, String nodeId, String address, String fingerprint, Conference conference,
                        Handshaker handshaker, UdpTransport transport, EndpointTable table) {
        this.vertx = vertx;
        this.nodeId = nodeId;
        this.address = address;
        this.fingerprint = fingerprint;
        this.conference = conference;
        this.handshaker = handshaker;
        this.transport = transport;
        this.table = table;
    }

    /** The link of a room to a peer node, or null. */
    public RelayLink link(String roomKey, String peerNode) {
        return links.get(key(roomKey, peerNode));
    }

    /** The links' packets, bytes and RTT taken together (updated by {@link #tick}), for metrics. */
    public RelayTotals totals() {
        return totals;
    }

    public List<RelayLink> links() {
        return new ArrayList<>(links.values());
    }

    /** A relay-link request on the node's address, decoded by {@link MediaCodec}. */
    public void onRequest(Message<Object> msg, MediaCommand.Relay request) {
        String room = request.room();
        String node = request.node();
        if (node.equals(nodeId)) {
            msg.fail(MediaRequest.Failure.BAD_REQUEST, "a relay request names another node");
            return;
        }
        try {
            if (request instanceof MediaCommand.Connect) {
                connect(msg, room, node);
            } else if (request instanceof MediaCommand.Open open) {
                open(msg, room, node, open.link());
            } else if (request instanceof MediaCommand.Ready) {
                RelayLink link = links.get(key(room, node));
                if (link == null || link.peerFingerprint == null) {
                    msg.fail(MediaRequest.Failure.UNKNOWN_PARTICIPANT, "no such relay link");
                    return;
                }
                handshaker.start(link.endpoint, link.peerFingerprint, link.role);
                msg.reply(MediaCodec.ok());
            } else if (request instanceof MediaCommand.Streams streams) {
                RelayLink link = links.get(key(room, node));
                if (link == null) {
                    msg.fail(MediaRequest.Failure.UNKNOWN_PARTICIPANT, "no such relay link");
                    return;
                }
                applyStreams(link, streams.streams());
                msg.reply(MediaCodec.ok());
            } else {
                RelayLink link = links.remove(key(room, node));
                if (link != null) {
                    totals.retire(link);
                    conference.links().closeLink(link.endpoint);
                }
                msg.reply(MediaCodec.ok());
            }
        } catch (Refusal r) {
            msg.fail(r.code, r.getMessage());
        } catch (IllegalArgumentException e) {
            msg.fail(MediaRequest.Failure.BAD_REQUEST, String.valueOf(e.getMessage()));
        }
    }

    /** Placement says the room also lives on {@code peer}: ask it for a link. */
    private void connect(Message<Object> msg, String room, String peer) throws Refusal {
        if (links.containsKey(key(room, peer))) {
            msg.reply(MediaCodec.ok());
            return;
        }
        Endpoint e = conference.links().openLink(room, linkId(peer));
        RelayLink link = new RelayLink(room, peer, e, role(peer));
        links.put(key(room, peer), link);
        JsonObject request = MediaCodec.encode(new MediaCommand.Open(room, nodeId, ownParameters(link)));
        vertx.eventBus().request(Addresses.mediaNode(peer), request, REQUEST).onComplete(ar -> {
            RelayLink now = links.get(key(room, peer));
            if (now != link) {
                if (now != null) {
                    msg.reply(MediaCodec.ok()); // the peer's crossing relay-open won
                } else {
                    msg.fail(MediaRequest.Failure.CONFLICT, "the relay link was closed while opening");
                }
                return;
            }
            if (ar.failed()) {
                close(link);
                int code = ar.cause() instanceof io.vertx.core.eventbus.ReplyException r && r.failureCode() > 0
                        ? r.failureCode() : MediaRequest.Failure.BAD_REQUEST;
                msg.fail(code, "relay-open refused by node " + peer + ": " + ar.cause().getMessage());
                return;
            }
            MediaCommand.LinkParameters theirs;
            try {
                theirs = MediaCodec.decodeOpenReply(ar.result().body());
                pin(link, theirs);
            } catch (BadMessage | IllegalArgumentException bad) {
                close(link);
                msg.fail(MediaRequest.Failure.BAD_REQUEST, "bad relay-open reply: " + bad.getMessage());
                return;
            }
            handshaker.start(e, link.peerFingerprint, link.role);
            if (link.role == DtlsRole.SERVER) {
                // We listen now; the peer, DTLS client, waited for this before its ClientHello.
                send(peer, new MediaCommand.Ready(room, nodeId));
            }
            applyStreams(link, theirs.streams());
            // A participant here may have published while relay-open was on its way (the link was
            // not pinned, so onStreamsChanged passed it by): carry and announce what is here now.
            onStreamsChanged(link.endpoint.room);
            LOG.log(System.Logger.Level.INFO, "relay link to node " + peer + " open, DTLS " + link.role);
            msg.reply(MediaCodec.ok());
        });
    }

    /** The peer asks for a link: only a cluster member can, since the request comes over the event bus. */
    private void open(Message<Object> msg, String room, String peer, MediaCommand.LinkParameters theirs) throws Refusal {
        RelayLink existing = links.get(key(room, peer));
        if (existing != null) {
            // Both nodes asked at once (placement told each): the larger id's request yields, the
            // smaller id's is taken, so that exactly one link opens. A link already set up stays.
            if (existing.stats != null || nodeId.compareTo(peer) < 0) {
                msg.fail(MediaRequest.Failure.CONFLICT, "a relay link for this room and node exists");
                return;
            }
            close(existing);
        }
        if (conference.room(room) == null) {
            msg.fail(MediaRequest.Failure.UNKNOWN_PARTICIPANT, "no participant of this room on this node");
            return;
        }
        Endpoint e = conference.links().openLink(room, linkId(peer));
        RelayLink link = new RelayLink(room, peer, e, role(peer));
        links.put(key(room, peer), link);
        try {
            pin(link, theirs);
        } catch (RuntimeException bad) {
            close(link);
            throw bad;
        }
        if (link.role == DtlsRole.SERVER) {
            handshaker.start(e, link.peerFingerprint, link.role); // the requester, client, starts on our reply
        }
        applyStreams(link, theirs.streams());
        msg.reply(MediaCodec.openReply(room, nodeId, ownParameters(link)));
    }

    /** Takes the peer's address, credentials and fingerprint: the link's address is pinned, never learnt. */
    private void pin(RelayLink link, MediaCommand.LinkParameters peer) {
        if (peer.ufrag().isEmpty() || peer.pwd().length() < 22) {
            throw new IllegalArgumentException("relay-open needs a ufrag and a pwd of 22 characters or more");
        }
        link.peerAddress = RelayWire.parseAddress(peer.address());
        link.peerFingerprint = peer.fingerprint();
        link.peerUfrag = peer.ufrag();
        link.peerPwd = peer.pwd();
        link.stats = new LinkStats(peer.pwd());
        Endpoint e = link.endpoint;
        e.selected = e.udpPath(transport, link.peerAddress, new Endpoint.PathChange()); // a link's first and only path
        table.addAddress(link.peerAddress, e);
        e.lastConsentNanos = System.nanoTime();
        e.linkHook = link.stats;
    }

    private MediaCommand.LinkParameters ownParameters(RelayLink link) {
        return new MediaCommand.LinkParameters(address, fingerprint, link.endpoint.localUfrag, link.endpoint.localPwd,
                streams(link.endpoint.room));
    }

    private List<MediaCommand.Stream> streams(Room room) {
        return RelayWire.streams(conference.links().localStreams(room));
    }

    /** The peer's whole list of streams now: new ones are published here by the link, missing ones stop. */
    private void applyStreams(RelayLink link, List<MediaCommand.Stream> announced) {
        if (link.endpoint.closed) {
            return;
        }
        Set<Long> now = new HashSet<>();
        List<MediaCommand.Stream> added = new ArrayList<>();
        for (MediaCommand.Stream s : announced) {
            now.add(s.ssrc());
            if (!link.remoteStreams.containsKey(s.ssrc())) {
                added.add(s);
            }
        }
        for (var it = link.remoteStreams.entrySet().iterator(); it.hasNext(); ) {
            var entry = it.next();
            if (!now.contains(entry.getKey())) {
                conference.links().removeRemoteStream(link.endpoint, entry.getValue());
                it.remove();
            }
        }
        for (MediaCommand.Stream s : added) {
            Codec codec = RelayWire.codec(s.codec(), s.kind());
            if (codec == null || s.ssrc() < 0 || s.ssrc() > 0xffffffffL) {
                continue; // a stream we could not offer: the others still go
            }
            link.remoteStreams.put(s.ssrc(), conference.links().addRemoteStream(link.endpoint, s.participant(), s.kind(),
                    s.ssrc(), s.rtx(), codec));
        }
    }

    /** Local streams of a room changed: each of its links carries them and the peers hear of it. */
    public void onStreamsChanged(Room room) {
        for (RelayLink link : links.values()) {
            if (link.endpoint.room == room && link.stats != null) {
                conference.links().subscribeLink(link.endpoint);
                send(link.peerNode, new MediaCommand.Streams(link.roomKey, nodeId, streams(room)));
            }
        }
    }

    /** The room has nobody left here: its links close, and the peers are told. */
    public void onRoomClosed(String roomKey) {
        for (RelayLink link : links()) {
            if (link.roomKey.equals(roomKey)) {
                closeAndTell(link);
            }
        }
    }

    /**
     * Once a second: a signed consent check to each link's peer; its answer gives the link's RTT. A
     * link whose peer sent no valid check for {@link #CONSENT_TIMEOUT_NANOS} (the peer node died or
     * is cut off) closes, as browsers' consent does (RFC 7675).
     */
    public void tick() {
        totals.update(links.values());
        long now = System.nanoTime();
        for (RelayLink link : links()) {
            Endpoint e = link.endpoint;
            if (link.stats == null || e.closed || e.selected == null) {
                continue;
            }
            if (now - e.lastConsentNanos > CONSENT_TIMEOUT_NANOS) {
                LOG.log(System.Logger.Level.INFO, "relay link to node " + link.peerNode + " lost consent: closed");
                closeAndTell(link);
                continue;
            }
            int n = stun.writeControllingRequest(out.bytes, 0, null, link.peerUfrag.getBytes(StandardCharsets.US_ASCII),
                    e.localUfrag.getBytes(StandardCharsets.US_ASCII), link.peerPwd.getBytes(StandardCharsets.US_ASCII),
                    PRIORITY, tieBreaker, false);
            link.stats.requestSent(out.bytes, 8, now);
            e.selected.send(out, n);
        }
    }

    /**
     * The peer node left the cluster (its process stopped or died): its links close at once, without
     * waiting for consent to run out, and their streams leave the local participants' next offers.
     */
    public void peerGone(String peer) {
        for (RelayLink link : links()) {
            if (link.peerNode.equals(peer)) {
                LOG.log(System.Logger.Level.INFO, "relay link to node " + peer + " closed: the node left the cluster");
                close(link);
            }
        }
    }

    /** Closes every link (the node stops); peers are told. */
    public void closeAll() {
        for (RelayLink link : links()) {
            closeAndTell(link);
        }
    }

    /** A link's DTLS handshake failed (wrong fingerprint, timeout): it closes on both nodes. */
    public void onLinkFailed(Endpoint e, String reason) {
        for (RelayLink link : links()) {
            if (link.endpoint == e) {
                LOG.log(System.Logger.Level.INFO, "relay link to node " + link.peerNode + " failed: " + reason);
                closeAndTell(link);
            }
        }
    }

    private void closeAndTell(RelayLink link) {
        close(link);
        send(link.peerNode, new MediaCommand.Close(link.roomKey, nodeId));
    }

    private void close(RelayLink link) {
        if (links.remove(key(link.roomKey, link.peerNode), link)) {
            totals.retire(link);
        }
        conference.links().closeLink(link.endpoint);
    }

    private void send(String peer, MediaCommand.Relay request) {
        vertx.eventBus().request(Addresses.mediaNode(peer), MediaCodec.encode(request), REQUEST).onFailure(err ->
                LOG.log(System.Logger.Level.DEBUG, "relay " + request.getClass().getSimpleName() + " to " + peer
                        + " failed: " + err.getMessage()));
    }

    private DtlsRole role(String peer) {
        return nodeId.compareTo(peer) < 0 ? DtlsRole.CLIENT : DtlsRole.SERVER;
    }

    private static String linkId(String peer) {
        return "relay:" + peer;
    }

    private static String key(String room, String node) {
        return room + '\n' + node;
    }
}
