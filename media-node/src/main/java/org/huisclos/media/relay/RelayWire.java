package org.huisclos.media.relay;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.huisclos.contract.MediaRequest;
import org.huisclos.media.forward.PublishedStream;
import org.huisclos.media.sdp.Codec;

/** The fields of relay-link messages (docs/cluster-protocol.md) that need more than a JSON get or put. */
final class RelayWire {
    private RelayWire() {
    }

    /** The streams a node announces to a peer node for one room. */
    static JsonArray streams(List<PublishedStream> streams) {
        JsonArray list = new JsonArray();
        for (PublishedStream s : streams) {
            list.add(new JsonObject()
                    .put(MediaRequest.PARTICIPANT, s.participantId)
                    .put(MediaRequest.STREAM_KIND, s.kind)
                    .put(MediaRequest.STREAM_SSRC, s.ssrcUnsigned())
                    .put(MediaRequest.STREAM_RTX, s.rtxSsrcUnsigned())
                    .put(MediaRequest.STREAM_CODEC, s.codec.name()));
        }
        return list;
    }

    /**
     * The announced streams of a relay-open or relay-streams request (null when it has none), checked
     * before anything of them is applied: a list of objects, each with a numeric SSRC and, if any, a
     * numeric RTX SSRC. Anything else is an IllegalArgumentException, which the caller gets as a 400.
     */
    static JsonArray announcedStreams(JsonObject body) {
        Object value = body.getValue(MediaRequest.STREAMS);
        if (value == null) {
            return null;
        }
        if (!(value instanceof JsonArray list)) {
            throw new IllegalArgumentException("streams must be a list");
        }
        for (int i = 0; i < list.size(); i++) {
            if (!(list.getValue(i) instanceof JsonObject s) || !(s.getValue(MediaRequest.STREAM_SSRC) instanceof Number)
                    || s.getValue(MediaRequest.STREAM_RTX) != null && !(s.getValue(MediaRequest.STREAM_RTX) instanceof Number)) {
                throw new IllegalArgumentException("stream " + i + " needs a numeric ssrc (and rtx, if given)");
            }
        }
        return list;
    }

    /** "ip:port" or "[ipv6]:port", an IP literal only: no name lookup on the control thread. */
    static InetSocketAddress parseAddress(String s) {
        if (s == null) {
            throw new IllegalArgumentException("relay-open needs address");
        }
        int colon = s.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("address is ip:port");
        }
        String host = s.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (!host.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            throw new IllegalArgumentException("address must be an IP literal");
        }
        int port = Integer.parseInt(s.substring(colon + 1));
        if (port <= 0 || port > 65535) {
            throw new IllegalArgumentException("bad port");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException("bad address");
        }
    }

    /** The codec a stream announcement names for its kind, or null if this node cannot offer it. */
    static Codec codec(String name, String kind) {
        for (Codec c : List.of(Codec.OPUS, Codec.VP8, Codec.H264)) {
            if (c.name().equals(name) && c.kind().equals(kind)) {
                return c;
            }
        }
        return null;
    }
}
