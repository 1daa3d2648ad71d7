package org.huisclos.media.forward;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.huisclos.contract.MediaRequest.Failure;
import org.huisclos.contract.NodeMessage.Track;
import org.huisclos.media.sdp.OfferWriter;
import org.huisclos.media.sdp.PublisherAnswer;
import org.huisclos.media.sdp.SdpException;
import org.huisclos.media.sdp.SessionDescription;
import org.huisclos.media.transport.SendBuffer;

/**
 * The control plane of the node's rooms, on one thread (the media node's event-bus context):
 * participants are allocated, answer offers and are released; streams appear when a publisher's
 * first answer names its SSRCs and are offered to everyone else in the room.
 */
public final class Conference {
    /** Where the node's offers go (to the participant's signaling instance). */
    public interface OfferSink {
        void offer(Endpoint endpoint, int version, String sdp, List<Track> tracks);
    }

    /** Where the node tells a room's participants on this node who holds the floor. */
    public interface SpeakerSink {
        void speaker(Endpoint to, String participantId);
    }

    /** Where the node tells a publisher which of its simulcast layers to encode (rids). */
    public interface LayerSink {
        void layers(Endpoint publisher, List<String> active);
    }

    /** Starts the DTLS handshake of an endpoint once its answer gave the peer's fingerprint. */
    public interface DtlsStarter {
        void start(Endpoint endpoint, String remoteFingerprint);
    }

    /** How long nobody must want a simulcast layer before its publisher stops encoding it. */
    static final long LAYER_IDLE_MILLIS = 3000;

    private final Map<String, Room> rooms = new HashMap<>();
    private final Map<String, Endpoint> endpoints = new HashMap<>();
    /** The latest offer made to each participant, to be sent again after a resume elsewhere. */
    private final Map<String, Offer> lastOffers = new HashMap<>();

    private record Offer(int version, String sdp, List<Track> tracks) {
    }
    private final EndpointTable table;
    private final Forwarder forwarder;
    private final OfferSink offers;
    private final DtlsStarter dtls;
    private final String fingerprint;
    private final String publicAddress;
    private final int port;
    private final int tcpPort;
    private final int capacity;
    /** Participants of one room on this node at most (relay links are not counted). */
    private final int roomCapacity;
    private final SendBuffer out = new SendBuffer();
    /** The simulcast layers asked of every publisher, lowest first; empty: no simulcast. */
    private List<String> simulcastRids = List.of();
    private LayerSink layerSink = (publisher, active) -> { };
    private SpeakerSink speakerSink = (to, participantId) -> { };
    private java.util.function.Consumer<String> roomClosed = key -> { };
    private java.util.function.Consumer<Room> streamsChanged = room -> { };

    /** @param tcpPort the ICE-TCP port offered as a passive TCP candidate, 0 for none */
    public Conference(EndpointTable table, Forwarder forwarder, OfferSink offers, DtlsStarter dtls,
                      String fingerprint, String publicAddress, int port, int tcpPort, int capacity, int roomCapacity) {
        this.table = table;
        this.forwarder = forwarder;
        this.offers = offers;
        this.dtls = dtls;
        this.fingerprint = fingerprint;
        this.publicAddress = publicAddress;
        this.port = port;
        this.tcpPort = tcpPort;
        this.capacity = capacity;
        this.roomCapacity = roomCapacity;
    }

    /** Publishers are asked for simulcast in these layers (lowest first) from now on; empty: none. */
    public void simulcast(List<String> rids) {
        this.simulcastRids = List.copyOf(rids);
    }

    public Endpoint allocate(String roomKey, String participantId) throws Refusal {
        if (endpoints.containsKey(participantId)) {
            throw new Refusal(Failure.BAD_REQUEST, "participant already allocated");
        }
        if (endpoints.size() >= capacity) {
            throw new Refusal(Failure.FULL, "media node full");
        }
        Room existing = rooms.get(roomKey);
        if (existing != null && existing.endpoints.size() >= roomCapacity) {
            throw new Refusal(Failure.ROOM_FULL, "this meeting is full: " + roomCapacity + " participants");
        }
        Room room = existing != null ? existing : rooms.computeIfAbsent(roomKey, Room::new);
        // with simulcast, the node estimates each participant's downlink (transport-wide feedback)
        Endpoint e = new Endpoint(participantId, room, false, !simulcastRids.isEmpty());
        if (!simulcastRids.isEmpty()) {
            e.negotiation.offerSimulcast(simulcastRids);
        }
        for (Endpoint other : room.endpoints) {
            for (PublishedStream s : other.published) {
                if (s.layers == null || s.announced) {
                    e.negotiation.addSubscription(s);
                }
            }
        }
        for (Endpoint link : room.links) {
            for (PublishedStream s : link.published) {
                e.negotiation.addSubscription(s);
            }
        }
        room.endpoints.add(e);
        room.assignSpeakerIndex(e);
        endpoints.put(participantId, e);
        table.addUfrag(e);
        offerIfDue(e);
        return e;
    }

    public void answer(String participantId, int version, String sdp) throws Refusal, SdpException {
        Endpoint e = endpoint(participantId);
        Negotiation n = e.negotiation;
        if (version != n.outstandingVersion()) {
            throw new Refusal(Failure.STALE_ANSWER, "answer to offer " + version + " but offer " + n.outstandingVersion() + " is outstanding");
        }
        SessionDescription answer = SessionDescription.parse(sdp);
        // Parse before marking the first answer taken: a refused answer must leave the offer
        // outstanding and the next answer still counted as the first one (publish, DTLS).
        PublisherAnswer pa = n.answeredOnce() ? null : PublisherAnswer.parse(answer);
        if (pa != null && n.firstAnswer()) {
            publish(e, pa);
            dtls.start(e, pa.fingerprint());
        }
        for (Negotiation.Section section : n.completeOffer()) {
            Subscription sub = section.subscription;
            if (sub == null || sub.active) {
                continue;
            }
            var m = answer.mediaByMid(sub.mid);
            if (m != null && !m.rejected()) {
                activate(sub);
            }
        }
        offerIfDue(e);
    }

    public void release(String participantId) throws Refusal {
        Endpoint e = endpoint(participantId);
        e.closed = true;
        endpoints.remove(participantId);
        lastOffers.remove(participantId);
        table.remove(e);
        Room room = e.room;
        room.endpoints.remove(e);
        room.freeSpeakerIndex(e);
        for (Endpoint other : room.endpoints) {
            for (PublishedStream s : e.published) {
                Subscription gone = other.negotiation.removeStream(s);
                if (gone != null) {
                    other.subscriptions = Subscription.without(other.subscriptions, gone);
                }
            }
            offerIfDue(other);
        }
        for (Endpoint link : room.links) {
            for (Subscription sub : link.subscriptions) {
                if (sub.stream.publisher == e) {
                    link.subscriptions = Subscription.without(link.subscriptions, sub);
                }
            }
        }
        for (PublishedStream s : e.published) {
            s.subscribers = new Subscription[0];
        }
        for (Subscription sub : e.subscriptions) {
            sub.stream.subscribers = Subscription.without(sub.stream.subscribers, sub);
        }
        if (room.endpoints.isEmpty()) {
            rooms.remove(room.key);
            roomClosed.accept(room.key);
        } else if (e.published.length > 0) {
            streamsChanged.accept(room);
        }
        if (e.dtls != null) {
            e.dtls.close();
        }
    }

    /**
     * The participant's offer that is still unanswered, handed to {@code sink} (to go back in the
     * reply to a resume elsewhere: a reply reaches the new instance even while the cluster still
     * routes the participant's address to the old one); nothing when every offer was answered.
     */
    public void outstandingOffer(String participantId, OfferSink sink) throws Refusal {
        Endpoint e = endpoint(participantId);
        Offer offer = lastOffers.get(participantId);
        if (offer != null && offer.version() == e.negotiation.outstandingVersion()) {
            sink.offer(e, offer.version(), offer.sdp(), offer.tracks());
        }
    }

    /** DTLS is up: the endpoint can receive now, so every stream it subscribes to needs a keyframe. */
    public void connected(Endpoint e) {
        for (Subscription sub : e.subscriptions) {
            forwarder.requestKeyframe(sub, out);
        }
    }

    /** Called with a room's key when its last participant on this node leaves. */
    public void onRoomClosed(java.util.function.Consumer<String> listener) {
        this.roomClosed = listener;
    }

    /**
     * Called with a room whose local streams changed (a participant here published, or left with
     * streams), so that relay links can follow; not called when the room closes (see onRoomClosed).
     */
    public void onStreamsChanged(java.util.function.Consumer<Room> listener) {
        this.streamsChanged = listener;
    }

    // --- relay links (org.huisclos.media.relay): another node's end of the room, as a special endpoint ---

    /** The room with this key on this node, or null when nobody here is in it. */
    public Room room(String roomKey) {
        return rooms.get(roomKey);
    }

    /**
     * Opens a relay link's endpoint in a room that has participants here: it is indexed by ICE ufrag
     * (for the nodes' STUN consent) and subscribes at once to every stream published here.
     */
    public Endpoint openLink(String roomKey, String linkId) throws Refusal {
        Room room = rooms.get(roomKey);
        if (room == null) {
            throw new Refusal(Failure.UNKNOWN_PARTICIPANT, "no participant of this room on this node");
        }
        Endpoint link = new Endpoint(linkId, room, true);
        room.links.add(link);
        table.addUfrag(link);
        subscribeLink(link);
        return link;
    }

    /** Subscribes a link to the streams published here that it does not carry yet (each crosses it once). */
    public void subscribeLink(Endpoint link) {
        for (Endpoint e : link.room.endpoints) {
            for (PublishedStream s : e.published) {
                if (s.layers != null && !s.announced) {
                    continue;
                }
                boolean has = false;
                for (Subscription sub : link.subscriptions) {
                    has |= sub.stream == s;
                }
                if (!has) {
                    Subscription sub = new Subscription(s, link, "relay");
                    activate(sub);
                }
            }
        }
    }

    /** The streams published by participants here (not those arriving over links): what a link announces. */
    public List<PublishedStream> localStreams(Room room) {
        List<PublishedStream> out = new ArrayList<>();
        for (Endpoint e : room.endpoints) {
            for (PublishedStream s : e.published) {
                if (s.layers == null || s.announced) {
                    out.add(s);
                }
            }
        }
        return out;
    }

    /** A stream announced by the link's far node: published here by the link and offered to everyone here. */
    public PublishedStream addRemoteStream(Endpoint link, String participantId, String kind, long ssrc, long rtxSsrc,
                                           org.huisclos.media.sdp.Codec codec) {
        PublishedStream s = new PublishedStream(link, participantId, kind, ssrc, rtxSsrc, codec);
        PublishedStream[] now = java.util.Arrays.copyOf(link.published, link.published.length + 1);
        now[now.length - 1] = s;
        link.published = now;
        for (Endpoint other : link.room.endpoints) {
            other.negotiation.addSubscription(s);
            offerIfDue(other);
        }
        return s;
    }

    /** The far node no longer announces the stream: it stops, and its m-lines become inactive here. */
    public void removeRemoteStream(Endpoint link, PublishedStream s) {
        List<PublishedStream> keep = new ArrayList<>(List.of(link.published));
        if (!keep.remove(s)) {
            return;
        }
        link.published = keep.toArray(new PublishedStream[0]);
        s.subscribers = new Subscription[0];
        for (Endpoint other : link.room.endpoints) {
            Subscription gone = other.negotiation.removeStream(s);
            if (gone != null) {
                other.subscriptions = Subscription.without(other.subscriptions, gone);
            }
            offerIfDue(other);
        }
    }

    /** Closes a link's endpoint: its streams leave the room here, and it leaves the local streams' subscribers. */
    public void closeLink(Endpoint link) {
        if (link.closed) {
            return;
        }
        for (PublishedStream s : link.published) {
            removeRemoteStream(link, s);
        }
        link.closed = true;
        table.remove(link);
        link.room.links.remove(link);
        for (Subscription sub : link.subscriptions) {
            sub.stream.subscribers = Subscription.without(sub.stream.subscribers, sub);
        }
        link.subscriptions = new Subscription[0];
        if (link.dtls != null) {
            link.dtls.close();
        }
    }

    public int participantCount() {
        return endpoints.size();
    }

    public int roomCount() {
        return rooms.size();
    }

    public int streamCount() {
        int n = 0;
        for (Endpoint e : endpoints.values()) {
            n += e.published.length;
        }
        return n;
    }

    /** Every endpoint, for the periodic reports (a copy: the caller may be on another thread later). */
    public List<Endpoint> endpoints() {
        return new ArrayList<>(endpoints.values());
    }

    public Endpoint find(String participantId) {
        return endpoints.get(participantId);
    }

    private void publish(Endpoint e, PublisherAnswer pa) {
        List<PublishedStream> streams = new ArrayList<>(2);
        if (pa.audioSsrc() >= 0) {
            streams.add(new PublishedStream(e, "audio", pa.audioSsrc(), -1, org.huisclos.media.sdp.Codec.OPUS));
        }
        if (pa.videoSsrc() >= 0) {
            streams.add(new PublishedStream(e, "video", pa.videoSsrc(), pa.videoRtxSsrc(), pa.videoCodec()));
        }
        List<String> rids = new ArrayList<>(e.negotiation.simulcastRids());
        rids.retainAll(pa.videoRids()); // the offered layers the browser sends, lowest first
        if (!rids.isEmpty() && pa.videoCodec() != null) {
            streams.add(PublishedStream.simulcast(e, rids, pa.videoCodec())); // announced with its first layer
        }
        e.published = streams.toArray(new PublishedStream[0]);
        for (Endpoint other : e.room.endpoints) {
            if (other == e) {
                continue;
            }
            for (PublishedStream s : streams) {
                if (s.layers == null) {
                    other.negotiation.addSubscription(s);
                }
            }
            offerIfDue(other);
        }
        streamsChanged.accept(e.room);
    }

    /**
     * A simulcast stream's first layer arrived (the forwarder set its SSRC): it is offered to the room
     * now, and to relay links. Control thread.
     */
    public void announce(PublishedStream s) {
        Endpoint publisher = s.publisher;
        if (publisher.closed || !List.of(publisher.published).contains(s)) {
            return;
        }
        for (Endpoint other : publisher.room.endpoints) {
            if (other != publisher) {
                other.negotiation.addSubscription(s);
                offerIfDue(other);
            }
        }
        streamsChanged.accept(publisher.room);
    }

    /**
     * What a participant shows of the videos it receives: for each m-line, the height in pixels it
     * renders it at (0: not shown). The next {@link #chooseLayers} picks layers from it.
     */
    public void view(String participantId, Map<String, Integer> heights) throws Refusal {
        Endpoint e = endpoint(participantId);
        for (Map.Entry<String, Integer> tile : heights.entrySet()) {
            Subscription sub = e.negotiation.subscription(tile.getKey());
            if (sub != null) {
                sub.viewHeight = Math.max(0, tile.getValue());
            }
        }
        chooseLayers(e);
    }

    /** The bandwidth estimates (bits/s) of the participants whose downlink the node estimates and has feedback of. */
    public long[] bandwidthEstimates() {
        return endpoints.values().stream().mapToLong(e -> e.bwe == null ? 0 : e.estimateBps).filter(b -> b > 0).toArray();
    }

    /** Tells participants who holds the floor in their room: {@link #tickSpeakers} sends changes to it. */
    public void onSpeaker(SpeakerSink sink) {
        this.speakerSink = sink;
    }

    /**
     * Every ~250 ms: each room's detector takes in the levels since the last tick; when the dominant
     * speaker changed, everyone in the room on this node is told (the speaker included).
     */
    public void tickSpeakers(long nowMillis) {
        for (Room room : rooms.values()) {
            org.huisclos.media.speech.SpeakerDetector detector = room.speakers;
            detector.tick(nowMillis);
            Endpoint dominant = room.speakerAt(detector.dominant());
            if (dominant != null && dominant != room.announcedSpeaker) {
                room.announcedSpeaker = dominant;
                for (Endpoint e : room.endpoints) {
                    speakerSink.speaker(e, dominant.participantId);
                }
            }
        }
    }

    /** Tells publishers which simulcast layers to encode: {@link #chooseLayers()} sends changes to it. */
    public void onLayers(LayerSink sink) {
        this.layerSink = sink;
    }

    /**
     * Picks the simulcast layer of every subscription, and the layers each publisher encodes (once a
     * second; subscriptions also when a view changes).
     */
    public void chooseLayers() {
        long now = System.currentTimeMillis();
        for (Endpoint e : endpoints.values()) {
            chooseLayers(e);
        }
        for (Room room : rooms.values()) {
            for (Endpoint link : room.links) {
                chooseLayers(link);
            }
        }
        int paused = 0;
        int notEncoded = 0;
        for (Endpoint e : endpoints.values()) {
            for (Subscription sub : e.subscriptions) {
                paused += sub.rewrite != null && sub.rewrite.target == RewrittenStream.PAUSED ? 1 : 0;
            }
            for (PublishedStream s : e.published) {
                if (s.layers != null) {
                    encodeWanted(s, now);
                    for (SimulcastLayer layer : s.layers) {
                        layer.packetsSeen = layer.packets;
                        notEncoded += layer.encoded ? 0 : 1;
                    }
                }
            }
        }
        forwarder.counters().layers(paused, notEncoded);
    }

    /**
     * The publisher encodes the layers someone wants (and the lowest always, so that a newcomer has a
     * picture at once): a layer nobody has wanted for {@link #LAYER_IDLE_MILLIS} is paused, a wanted
     * one resumes at once. Only changes are sent.
     */
    private void encodeWanted(PublishedStream s, long now) {
        boolean[] wanted = new boolean[s.layers.length];
        wanted[0] = true;
        for (Subscription sub : s.subscribers) {
            int w = LayerChoice.wanted(s.layers, sub.viewHeight);
            if (w != RewrittenStream.PAUSED) {
                wanted[w] = true;
            }
        }
        boolean changed = false;
        for (SimulcastLayer layer : s.layers) {
            if (wanted[layer.index]) {
                layer.unwantedSince = 0;
                changed |= !layer.encoded;
                layer.encoded = true;
            } else if (layer.unwantedSince == 0) {
                layer.unwantedSince = now;
            } else if (layer.encoded && now - layer.unwantedSince >= LAYER_IDLE_MILLIS) {
                layer.encoded = false;
                changed = true;
            }
        }
        if (changed) {
            List<String> active = new ArrayList<>();
            for (SimulcastLayer layer : s.layers) {
                if (layer.encoded) {
                    active.add(layer.rid);
                }
            }
            layerSink.layers(s.publisher, active);
        }
    }

    private void chooseLayers(Endpoint e) {
        for (Subscription sub : e.subscriptions) {
            if (sub.rewrite != null) {
                int layer = LayerChoice.choose(sub.stream.layers, sub.viewHeight, sub.rewrite.target);
                if (layer != sub.rewrite.target) {
                    sub.rewrite.target = layer;
                    forwarder.requestKeyframe(sub, out);
                }
            }
        }
    }

    private void activate(Subscription sub) {
        sub.active = true;
        sub.stream.subscribers = Subscription.with(sub.stream.subscribers, sub);
        sub.subscriber.subscriptions = Subscription.with(sub.subscriber.subscriptions, sub);
        if (sub.subscriber.connected()) {
            forwarder.requestKeyframe(sub, out);
        }
    }

    private void offerIfDue(Endpoint e) {
        Negotiation n = e.negotiation;
        if (!n.offerDue()) {
            return;
        }
        int version = n.beginOffer();
        OfferWriter.Transport t = new OfferWriter.Transport(e.localSsrc & 0xffffffffL, e.localUfrag, e.localPwd,
                fingerprint, publicAddress, port, tcpPort);
        String sdp = OfferWriter.write(t, version, n.offeredSections());
        List<Track> tracks = new ArrayList<>();
        for (Subscription sub : n.sectionSubscriptions()) {
            if (sub != null) {
                tracks.add(new Track(sub.mid, sub.stream.participantId, sub.stream.kind));
            }
        }
        lastOffers.put(e.participantId, new Offer(version, sdp, List.copyOf(tracks)));
        offers.offer(e, version, sdp, tracks);
    }

    private Endpoint endpoint(String participantId) throws Refusal {
        Endpoint e = endpoints.get(participantId);
        if (e == null) {
            throw new Refusal(Failure.UNKNOWN_PARTICIPANT, "unknown participant");
        }
        return e;
    }
}
