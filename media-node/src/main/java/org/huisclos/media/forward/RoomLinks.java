package org.huisclos.media.forward;

import java.util.ArrayList;
import java.util.List;
import org.huisclos.contract.MediaRequest.Failure;

/**
 * Relay links (org.huisclos.media.relay) as the rooms see them, on the control thread: another node's
 * end of a room is a special endpoint here, subscribed to the streams published on this node, and
 * publishing the far node's streams, which are offered to the local participants.
 */
public final class RoomLinks {
    private final Conference conference;

    RoomLinks(Conference conference) {
        this.conference = conference;
    }

    /**
     * Opens a relay link's endpoint in a room that has participants here: it is indexed by ICE ufrag
     * (for the nodes' STUN consent) and subscribes at once to every stream published here.
     */
    public Endpoint openLink(String roomKey, String linkId) throws Refusal {
        Room room = conference.rooms.get(roomKey);
        if (room == null) {
            throw new Refusal(Failure.UNKNOWN_PARTICIPANT, "no participant of this room on this node");
        }
        Endpoint link = new Endpoint(linkId, room, true);
        room.links.add(link);
        conference.table.addUfrag(link);
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
                    conference.activate(sub);
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
            conference.offerIfDue(other);
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
            conference.offerIfDue(other);
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
        conference.table.remove(link);
        link.room.links.remove(link);
        for (Subscription sub : link.subscriptions) {
            sub.stream.subscribers = Subscription.without(sub.stream.subscribers, sub);
        }
        link.subscriptions = new Subscription[0];
        if (link.dtls != null) {
            link.dtls.close();
        }
    }
}
