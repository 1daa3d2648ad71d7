package org.huisclos.contract;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.huisclos.contract.MediaCommand.Allocate;
import org.huisclos.contract.MediaCommand.Answer;
import org.huisclos.contract.MediaCommand.Close;
import org.huisclos.contract.MediaCommand.Connect;
import org.huisclos.contract.MediaCommand.LinkParameters;
import org.huisclos.contract.MediaCommand.Open;
import org.huisclos.contract.MediaCommand.Ready;
import org.huisclos.contract.MediaCommand.Release;
import org.huisclos.contract.MediaCommand.Resume;
import org.huisclos.contract.MediaCommand.Stream;
import org.huisclos.contract.MediaCommand.Streams;
import org.huisclos.contract.NodeMessage.MediaFailed;
import org.huisclos.contract.NodeMessage.Offer;
import org.huisclos.contract.NodeMessage.Track;

/**
 * The JSON form of the media node's messages: requests to {@link Addresses#mediaNode(String)}
 * ({@link MediaCommand}), their replies, and what a node sends to a participant's address
 * ({@link NodeMessage}). The only place that knows their field names (listed in
 * {@link MediaRequest} and {@link ParticipantMessage}); whatever it cannot decode is a
 * {@link BadMessage}, which the receiver answers with its code.
 *
 * <p>Every message it writes carries {@code protocol: }{@value #PROTOCOL_VERSION}. A message without
 * it is read as version 1; one with a newer version is refused, so that a node of an older release
 * says so instead of misreading it.
 */
public final class MediaCodec {
    /** The version of the messages this codec writes and the newest it reads. */
    public static final int PROTOCOL_VERSION = 1;

    private MediaCodec() {
    }

    // ---- requests ----

    public static JsonObject encode(MediaCommand command) {
        JsonObject json = new JsonObject().put(MediaRequest.PROTOCOL, PROTOCOL_VERSION);
        if (command instanceof Allocate a) {
            return json.put(MediaRequest.ACTION, MediaRequest.ALLOCATE).put(MediaRequest.ROOM, a.room())
                    .put(MediaRequest.PARTICIPANT, a.participant());
        } else if (command instanceof Answer a) {
            return json.put(MediaRequest.ACTION, MediaRequest.ANSWER).put(MediaRequest.PARTICIPANT, a.participant())
                    .put(MediaRequest.VERSION, a.version()).put(MediaRequest.SDP, a.sdp());
        } else if (command instanceof Release r) {
            return json.put(MediaRequest.ACTION, MediaRequest.RELEASE).put(MediaRequest.PARTICIPANT, r.participant());
        } else if (command instanceof Resume r) {
            return json.put(MediaRequest.ACTION, MediaRequest.RESUME).put(MediaRequest.PARTICIPANT, r.participant());
        } else if (command instanceof MediaCommand.View v) {
            JsonObject heights = new JsonObject();
            v.heights().forEach(heights::put);
            return json.put(MediaRequest.ACTION, MediaRequest.VIEW).put(MediaRequest.PARTICIPANT, v.participant())
                    .put(MediaRequest.HEIGHTS, heights);
        }
        MediaCommand.Relay relay = (MediaCommand.Relay) command;
        json.put(MediaRequest.ROOM, relay.room()).put(MediaRequest.NODE, relay.node());
        if (relay instanceof Connect) {
            return json.put(MediaRequest.ACTION, MediaRequest.RELAY_CONNECT);
        } else if (relay instanceof Open o) {
            return putLink(json.put(MediaRequest.ACTION, MediaRequest.RELAY_OPEN), o.link());
        } else if (relay instanceof Ready) {
            return json.put(MediaRequest.ACTION, MediaRequest.RELAY_READY);
        } else if (relay instanceof Streams s) {
            return json.put(MediaRequest.ACTION, MediaRequest.RELAY_STREAMS).put(MediaRequest.STREAMS, streams(s.streams()));
        }
        return json.put(MediaRequest.ACTION, MediaRequest.RELAY_CLOSE);
    }

    /** A request as it came over the event bus (any body): the command, or why it is none. */
    public static MediaCommand decode(Object body) throws BadMessage {
        JsonObject json = Fields.object(body, "a request");
        String action = Fields.string(json, MediaRequest.ACTION, "a request");
        if (MediaRequest.isRelayAction(action)) {
            return decodeRelay(json, action);
        }
        String participant = Fields.string(json, MediaRequest.PARTICIPANT, action);
        switch (action) {
            case MediaRequest.ALLOCATE:
                return new Allocate(Fields.string(json, MediaRequest.ROOM, action), participant);
            case MediaRequest.ANSWER:
                return new Answer(participant, Fields.number(json, MediaRequest.VERSION, action),
                        Fields.string(json, MediaRequest.SDP, action));
            case MediaRequest.RELEASE:
                return new Release(participant);
            case MediaRequest.RESUME:
                return new Resume(participant);
            case MediaRequest.VIEW:
                return new MediaCommand.View(participant, heights(json));
            default:
                throw new BadMessage("unknown action");
        }
    }

    private static java.util.Map<String, Integer> heights(JsonObject json) throws BadMessage {
        if (!(json.getValue(MediaRequest.HEIGHTS) instanceof JsonObject heights)) {
            throw new BadMessage("view needs 'heights', an object of mid to pixels");
        }
        if (heights.size() > MediaRequest.MAX_VIEW_TILES) {
            throw new BadMessage("view has more than " + MediaRequest.MAX_VIEW_TILES + " heights");
        }
        java.util.Map<String, Integer> out = new java.util.HashMap<>();
        for (String mid : heights.fieldNames()) {
            if (!(heights.getValue(mid) instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())
                    || n.longValue() < 0 || n.longValue() > MediaRequest.MAX_VIEW_HEIGHT) {
                throw new BadMessage("view height of '" + mid + "' must be a whole number 0.." + MediaRequest.MAX_VIEW_HEIGHT);
            }
            out.put(mid, n.intValue());
        }
        return out;
    }

    private static MediaCommand decodeRelay(JsonObject json, String action) throws BadMessage {
        String room = Fields.string(json, MediaRequest.ROOM, action);
        String node = Fields.string(json, MediaRequest.NODE, action);
        switch (action) {
            case MediaRequest.RELAY_CONNECT:
                return new Connect(room, node);
            case MediaRequest.RELAY_OPEN:
                return new Open(room, node, link(json, action));
            case MediaRequest.RELAY_READY:
                return new Ready(room, node);
            case MediaRequest.RELAY_STREAMS:
                return new Streams(room, node, streams(json, action));
            default:
                return new Close(room, node);
        }
    }

    // ---- replies ----

    /** The reply to a request that needs no more than success. */
    public static JsonObject ok() {
        return new JsonObject().put(MediaRequest.OK, true);
    }

    /** The reply to {@link Resume}: the outstanding offer, or none (null). */
    public static JsonObject resumeReply(Offer outstanding) {
        JsonObject reply = ok();
        return outstanding == null ? reply : reply.put(MediaRequest.OFFER, encode(outstanding));
    }

    /** The offer of a {@link Resume} reply, or null when the node had none outstanding. */
    public static Offer decodeResumeReply(Object body) throws BadMessage {
        JsonObject json = Fields.object(body, "a resume reply");
        Object offer = json.getValue(MediaRequest.OFFER);
        if (offer == null) {
            return null;
        }
        if (!(decodeNodeMessage(offer) instanceof Offer o)) {
            throw new BadMessage("a resume reply's offer must be an offer");
        }
        return o;
    }

    /** The reply to {@link Open}: this node's side of the link. */
    public static JsonObject openReply(String room, String node, LinkParameters link) {
        return putLink(ok().put(MediaRequest.PROTOCOL, PROTOCOL_VERSION).put(MediaRequest.ROOM, room)
                .put(MediaRequest.NODE, node), link);
    }

    /** The peer's side of the link from its reply to {@link Open}. */
    public static LinkParameters decodeOpenReply(Object body) throws BadMessage {
        return link(Fields.object(body, "a relay-open reply"), "a relay-open reply");
    }

    // ---- administration ({@link Addresses#mediaAdmin(String)}) ----

    /** The request that drains a media node. */
    public static JsonObject drain() {
        return new JsonObject().put(MediaRequest.PROTOCOL, PROTOCOL_VERSION).put(MediaRequest.ACTION, Addresses.DRAIN);
    }

    /** Checks that {@code body} is a drain request, the one administrative action there is. */
    public static void decodeDrain(Object body) throws BadMessage {
        if (!Addresses.DRAIN.equals(Fields.string(Fields.object(body, "an admin request"), MediaRequest.ACTION, "an admin request"))) {
            throw new BadMessage("unknown admin action");
        }
    }

    /** The reply to a drain: how many participants the node had to move (-1: not known). */
    public static JsonObject drainReply(int participants) {
        return ok().put(MediaRequest.PARTICIPANTS, participants);
    }

    public static int decodeDrainReply(Object body) throws BadMessage {
        return (int) Fields.number(Fields.object(body, "a drain reply"), MediaRequest.PARTICIPANTS, "a drain reply");
    }

    // ---- to a participant's address ----

    public static JsonObject encode(NodeMessage message) {
        JsonObject json = new JsonObject().put(MediaRequest.PROTOCOL, PROTOCOL_VERSION)
                .put(ParticipantMessage.NODE, message.node());
        if (message instanceof Offer o) {
            JsonArray tracks = new JsonArray();
            for (Track t : o.tracks()) {
                tracks.add(new JsonObject().put(ParticipantMessage.TRACK_MID, t.mid())
                        .put(ParticipantMessage.TRACK_PARTICIPANT, t.participant())
                        .put(ParticipantMessage.TRACK_KIND, t.kind()));
            }
            return json.put(ParticipantMessage.TYPE, ParticipantMessage.OFFER).put(ParticipantMessage.VERSION, o.version())
                    .put(ParticipantMessage.SDP, o.sdp()).put(ParticipantMessage.TRACKS, tracks);
        }
        if (message instanceof NodeMessage.Speaker sp) {
            return json.put(ParticipantMessage.TYPE, ParticipantMessage.SPEAKER)
                    .put(ParticipantMessage.PARTICIPANT, sp.participant());
        }
        if (message instanceof NodeMessage.Layers l) {
            return json.put(ParticipantMessage.TYPE, ParticipantMessage.LAYERS)
                    .put(ParticipantMessage.ACTIVE, new JsonArray(new ArrayList<Object>(l.active())));
        }
        return json.put(ParticipantMessage.TYPE, ParticipantMessage.MEDIA_FAILED)
                .put(ParticipantMessage.REASON, ((MediaFailed) message).reason());
    }

    /**
     * A media node's message to a participant, or null when {@code body} is a JSON object of another
     * type (the participant's address also carries messages between signaling instances).
     */
    public static NodeMessage decodeNodeMessage(Object body) throws BadMessage {
        JsonObject json = Fields.object(body, "a participant message");
        Object type = json.getValue(ParticipantMessage.TYPE);
        if (ParticipantMessage.OFFER.equals(type)) {
            String what = ParticipantMessage.OFFER;
            JsonArray list = Fields.array(json, ParticipantMessage.TRACKS, what);
            List<Track> tracks = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) {
                JsonObject t = Fields.object(list.getValue(i), "a track");
                tracks.add(new Track(Fields.string(t, ParticipantMessage.TRACK_MID, "a track"),
                        Fields.string(t, ParticipantMessage.TRACK_PARTICIPANT, "a track"),
                        Fields.string(t, ParticipantMessage.TRACK_KIND, "a track")));
            }
            return new Offer(Fields.string(json, ParticipantMessage.NODE, what), Fields.number(json, ParticipantMessage.VERSION, what),
                    Fields.string(json, ParticipantMessage.SDP, what), tracks);
        }
        if (ParticipantMessage.SPEAKER.equals(type)) {
            String what = ParticipantMessage.SPEAKER;
            return new NodeMessage.Speaker(Fields.string(json, ParticipantMessage.NODE, what),
                    Fields.string(json, ParticipantMessage.PARTICIPANT, what));
        }
        if (ParticipantMessage.LAYERS.equals(type)) {
            String what = ParticipantMessage.LAYERS;
            JsonArray list = Fields.array(json, ParticipantMessage.ACTIVE, what);
            List<String> active = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) {
                if (!(list.getValue(i) instanceof String rid)) {
                    throw new BadMessage(what + ": 'active' must list rids");
                }
                active.add(rid);
            }
            return new NodeMessage.Layers(Fields.string(json, ParticipantMessage.NODE, what), active);
        }
        if (ParticipantMessage.MEDIA_FAILED.equals(type)) {
            String what = ParticipantMessage.MEDIA_FAILED;
            return new MediaFailed(Fields.string(json, ParticipantMessage.NODE, what), Fields.string(json, ParticipantMessage.REASON, what));
        }
        return null;
    }

    // ---- parts ----

    private static JsonObject putLink(JsonObject json, LinkParameters link) {
        return json.put(MediaRequest.ADDRESS, link.address()).put(MediaRequest.FINGERPRINT, link.fingerprint())
                .put(MediaRequest.UFRAG, link.ufrag()).put(MediaRequest.PWD, link.pwd())
                .put(MediaRequest.STREAMS, streams(link.streams()));
    }

    private static LinkParameters link(JsonObject json, String what) throws BadMessage {
        return new LinkParameters(Fields.string(json, MediaRequest.ADDRESS, what), Fields.string(json, MediaRequest.FINGERPRINT, what),
                Fields.string(json, MediaRequest.UFRAG, what), Fields.string(json, MediaRequest.PWD, what), streams(json, what));
    }

    private static JsonArray streams(List<Stream> streams) {
        JsonArray list = new JsonArray();
        for (Stream s : streams) {
            JsonObject json = new JsonObject().put(MediaRequest.PARTICIPANT, s.participant())
                    .put(MediaRequest.STREAM_KIND, s.kind()).put(MediaRequest.STREAM_SSRC, s.ssrc())
                    .put(MediaRequest.STREAM_CODEC, s.codec());
            list.add(s.rtx() == Stream.NO_RTX ? json : json.put(MediaRequest.STREAM_RTX, s.rtx()));
        }
        return list;
    }

    private static List<Stream> streams(JsonObject json, String what) throws BadMessage {
        JsonArray list = Fields.array(json, MediaRequest.STREAMS, what);
        List<Stream> streams = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            String stream = "stream " + i;
            JsonObject s = Fields.object(list.getValue(i), stream);
            long ssrc = Fields.number(s, MediaRequest.STREAM_SSRC, stream);
            Object rtx = s.getValue(MediaRequest.STREAM_RTX);
            if (rtx != null && !(rtx instanceof Number)) {
                throw new BadMessage(stream + ": rtx must be a number");
            }
            streams.add(new Stream(Fields.string(s, MediaRequest.PARTICIPANT, stream), Fields.string(s, MediaRequest.STREAM_KIND, stream),
                    ssrc, rtx == null ? Stream.NO_RTX : ((Number) rtx).longValue(),
                    Fields.string(s, MediaRequest.STREAM_CODEC, stream)));
        }
        return streams;
    }
}
