package org.huisclos.media.relay;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
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

    /** A relay-* request on the node's address. */
    public void onRequest(Message<JsonObject> msg) {
        JsonObject body = msg.body();
        String action = body.getString(MediaRequest.ACTION);
        String room = body.getString(MediaRequest.ROOM);
        String node = body.getString(MediaRequest.NODE);
        if (room == null || node == null || node.equals(nodeId)) {
            msg.fail(MediaRequest.Failure.BAD_REQUEST, "a relay request needs room and another node");
            return;
        }
        try {
            switch (action) {
                case MediaRequest.RELAY_CONNECT -> connect(msg, room, node);
                case MediaRequest.RELAY_OPEN -> open(msg, room, node, body);
                case MediaRequest.RELAY_READY -> {
                    RelayLink link = links.get(key(room, node));
                    if (link == null || link.peerFingerprint == null) {
                        msg.fail(MediaRequest.Failure.UNKNOWN_PARTICIPANT, "no such relay link");
                        return;
                    }
                    handshaker.start(link.endpoint, link.peerFingerprint, link.role);
                    msg.reply(new JsonObject().put("ok", true));
                }
                case MediaRequest.RELAY_STREAMS -> {
                    RelayLink link = links.get(key(room, node));
                    if (link == null) {
                        msg.fail(MediaRequest.Failure.UNKNOWN_PARTICIPANT, "no such relay link");
                        return;
                    }
                    applyStreams(link, RelayWire.announcedStreams(body));
                    msg.reply(new JsonObject().put("ok", true));
                }
                case MediaRequest.RELAY_CLOSE -> {
                    RelayLink link = links.remove(key(room, node));
                    if (link != null) {
                        totals.retire(link);
                        conference.closeLink(link.endpoint);
                    }
                    msg.reply(new JsonObject().put("ok", true));
                }
                default -> msg.fail(MediaRequest.Failure.BAD_REQUEST, "unknown action");
            }
        } catch (Refusal r) {
            msg.fail(r.code, r.getMessage());
        } catch (IllegalArgumentException | ClassCastException e) {
            msg.fail(MediaRequest.Failure.BAD_REQUEST, String.valueOf(e.getMessage()));
        }
    }

    /** Placement says the room also lives on {@code peer}: ask it for a link. */
    private void connect(Message<JsonObject> msg, String room, String peer) throws Refusal {
        if (links.containsKey(key(room, peer))) {
            msg.reply(new JsonObject().put("ok", true));
            return;
        }
        Endpoint e = conference.openLink(room, linkId(peer));
        RelayLink link = new RelayLink(room, peer, e, role(peer));
        links.put(key(room, peer), link);
        JsonObject request = ownParameters(link).put(MediaRequest.ACTION, MediaRequest.RELAY_OPEN);
        vertx.eventBus().<JsonObject>request(Addresses.mediaNode(peer), request, REQUEST).onComplete(ar -> {
            RelayLink now = links.get(key(room, peer));
            if (now != link) {
                if (now != null) {
                    msg.reply(new JsonObject().put("ok", true)); // the peer's crossing relay-open won
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
            JsonArray streams;
            try {
                pin(link, ar.result().body());
                streams = RelayWire.announcedStreams(ar.result().body());
            } catch (RuntimeException bad) {
                close(link);
                msg.fail(MediaRequest.Failure.BAD_REQUEST, "bad relay-open reply: " + bad.getMessage());
                return;
            }
            handshaker.start(e, link.peerFingerprint, link.role);
            if (link.role == DtlsRole.SERVER) {
                // We listen now; the peer, DTLS client, waited for this before its ClientHello.
                send(peer, new JsonObject().put(MediaRequest.ACTION, MediaRequest.RELAY_READY)
                        .put(MediaRequest.ROOM, room).put(MediaRequest.NODE, nodeId));
            }
            applyStreams(link, streams);
            // A participant here may have published while relay-open was on its way (the link was
            // not pinned, so onStreamsChanged passed it by): carry and announce what is here now.
            onStreamsChanged(link.endpoint.room);
            LOG.log(System.Logger.Level.INFO, "relay link to node " + peer + " open, DTLS " + link.role);
            msg.reply(new JsonObject().put("ok", true));
        });
    }

    /** The peer asks for a link: only a cluster member can, since the request comes over the event bus. */
    private void open(Message<JsonObject> msg, String room, String peer, JsonObject body) throws Refusal {
        JsonArray streams = RelayWire.announcedStreams(body); // a malformed list refuses before any link is made
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
        Endpoint e = conference.openLink(room, linkId(peer));
        RelayLink link = new RelayLink(room, peer, e, role(peer));
        links.put(key(room, peer), link);
        try {
            pin(link, body);
        } catch (RuntimeException bad) {
            close(link);
            throw bad;
        }
        if (link.role == DtlsRole.SERVER) {
            handshaker.start(e, link.peerFingerprint, link.role); // the requester, client, starts on our reply
        }
        applyStreams(link, streams);
        msg.reply(ownParameters(link).put("ok", true));
    }

    /** Takes the peer's address, credentials and fingerprint: the link's address is pinned, never learnt. */
    private void pin(RelayLink link, JsonObject peer) {
        String fp = peer.getString(MediaRequest.FINGERPRINT);
        String ufrag = peer.getString(MediaRequest.UFRAG);
        String pwd = peer.getString(MediaRequest.PWD);
        if (fp == null || ufrag == null || pwd == null || ufrag.isEmpty() || pwd.length() < 22) {
            throw new IllegalArgumentException("relay-open needs fingerprint, ufrag and pwd");
        }
        link.peerAddress = RelayWire.parseAddress(peer.getString(MediaRequest.ADDRESS));
        link.peerFingerprint = fp;
        link.peerUfrag = ufrag;
        link.peerPwd = pwd;
        link.stats = new LinkStats(pwd);
        Endpoint e = link.endpoint;
        e.selected = e.udpPath(transport, link.peerAddress, new Endpoint.PathChange()); // a link's first and only path
        table.addAddress(link.peerAddress, e);
        e.lastConsentNanos = System.nanoTime();
        e.linkHook = link.stats;
    }

    private JsonObject ownParameters(RelayLink link) {
        Room room = link.endpoint.room;
        return new JsonObject()
                .put(MediaRequest.ROOM, link.roomKey)
                .put(MediaRequest.NODE, nodeId)
                .put(MediaRequest.ADDRESS, address)
                .put(MediaRequest.FINGERPRINT, fingerprint)
                .put(MediaRequest.UFRAG, link.endpoint.localUfrag)
                .put(MediaRequest.PWD, link.endpoint.localPwd)
                .put(MediaRequest.STREAMS, streams(room));
    }

    private JsonArray streams(Room room) {
        return RelayWire.streams(conference.localStreams(room));
    }

    /** The peer's whole list of streams now: new ones are published here by the link, missing ones stop. */
    private void applyStreams(RelayLink link, JsonArray announced) {
        if (announced == null || link.endpoint.closed) {
            return;
        }
        Set<Long> now = new HashSet<>();
        List<JsonObject> added = new ArrayList<>();
        for (int i = 0; i < announced.size(); i++) {
            JsonObject s = announced.getJsonObject(i);
            long ssrc = s.getLong(MediaRequest.STREAM_SSRC);
            now.add(ssrc);
            if (!link.remoteStreams.containsKey(ssrc)) {
                added.add(s);
            }
        }
        for (var it = link.remoteStreams.entrySet().iterator(); it.hasNext(); ) {
            var entry = it.next();
            if (!now.contains(entry.getKey())) {
                conference.removeRemoteStream(link.endpoint, entry.getValue());
                it.remove();
            }
        }
        for (JsonObject s : added) {
            String kind = s.getString(MediaRequest.STREAM_KIND);
            Codec codec = RelayWire.codec(s.getString(MediaRequest.STREAM_CODEC), kind);
            String participant = s.getString(MediaRequest.PARTICIPANT);
            long ssrc = s.getLong(MediaRequest.STREAM_SSRC);
            if (codec == null || participant == null || ssrc < 0 || ssrc > 0xffffffffL) {
                continue; // a stream we could not offer: the others still go
            }
            Long rtx = s.getLong(MediaRequest.STREAM_RTX, -1L);
            link.remoteStreams.put(ssrc, conference.addRemoteStream(link.endpoint, participant, kind, ssrc,
                    rtx == null ? -1 : rtx, codec));
        }
    }

    /** Local streams of a room changed: each of its links carries them and the peers hear of it. */
    public void onStreamsChanged(Room room) {
        for (RelayLink link : links.values()) {
            if (link.endpoint.room == room && link.stats != null) {
                conference.subscribeLink(link.endpoint);
                send(link.peerNode, new JsonObject().put(MediaRequest.ACTION, MediaRequest.RELAY_STREAMS)
                        .put(MediaRequest.ROOM, link.roomKey).put(MediaRequest.NODE, nodeId)
                        .put(MediaRequest.STREAMS, streams(room)));
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
        send(link.peerNode, new JsonObject().put(MediaRequest.ACTION, MediaRequest.RELAY_CLOSE)
                .put(MediaRequest.ROOM, link.roomKey).put(MediaRequest.NODE, nodeId));
    }

    private void close(RelayLink link) {
        if (links.remove(key(link.roomKey, link.peerNode), link)) {
            totals.retire(link);
        }
        conference.closeLink(link.endpoint);
    }

    private void send(String peer, JsonObject body) {
        vertx.eventBus().request(Addresses.mediaNode(peer), body, REQUEST).onFailure(err ->
                LOG.log(System.Logger.Level.DEBUG, "relay " + body.getString(MediaRequest.ACTION) + " to " + peer
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
