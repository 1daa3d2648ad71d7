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

    final Map<String, Room> rooms = new HashMap<>();
    private final Map<String, Endpoint> endpoints = new HashMap<>();
    /** The latest offer made to each participant, to be sent again after a resume elsewhere. */
    private final Map<String, Offer> lastOffers = new HashMap<>();

    private record Offer(int version, String sdp, List<Track> tracks) {
    }
    final EndpointTable table;
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
    private final LayerAllocation layers;
    private final RoomLinks links = new RoomLinks(this);
    private final Speakers speakers;
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
        this.layers = new LayerAllocation(forwarder, endpoints, rooms);
        this.speakers = new Speakers(rooms);
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


    /** Relay links to other nodes, as endpoints of the rooms here. */
    public RoomLinks links() {
        return links;
    }

    /** The choice of simulcast layers: per subscriber, and what each publisher encodes. */
    public LayerAllocation layers() {
        return layers;
    }

    /** Who holds the floor in each room. */
    public Speakers speakers() {
        return speakers;
    }

    /** What a participant shows of the videos it receives ({@link LayerAllocation#view}). */
    public void view(String participantId, Map<String, Integer> heights) throws Refusal {
        layers.view(endpoint(participantId), heights);
    }

    void activate(Subscription sub) {
        sub.active = true;
        sub.stream.subscribers = Subscription.with(sub.stream.subscribers, sub);
        sub.subscriber.subscriptions = Subscription.with(sub.subscriber.subscriptions, sub);
        if (sub.subscriber.connected()) {
            forwarder.requestKeyframe(sub, out);
        }
    }

    void offerIfDue(Endpoint e) {
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
