package org.huisclos.media.relay;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.regex.Pattern;
import org.huisclos.contract.MediaRequest;
import org.huisclos.media.forward.PublishedStream;
import org.huisclos.media.sdp.Codec;

/** The fields of relay-link messages (docs/cluster-protocol.md) that need more than a JSON get or put. */
final class RelayWire {
    /**
     * A dotted quad, or (with a colon) what InetAddress can only take as an IPv6 literal: anything else,
     * e.g. "cafe" or "1.2.3.4.5", InetAddress would look up as a host name.
     */
    private static final Pattern IP_LITERAL = Pattern.compile(
            "(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])){3}|[0-9a-fA-F:]*:[0-9a-fA-F:]*");

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
     * numeric RTX SSRC and string kind, codec and participant (as {@link RelayManager} reads them).
     * Anything else is an IllegalArgumentException, which the caller gets as a 400.
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
                    || !absentOr(s, MediaRequest.STREAM_RTX, Number.class) || !absentOr(s, MediaRequest.STREAM_KIND, String.class)
                    || !absentOr(s, MediaRequest.STREAM_CODEC, String.class)
                    || !absentOr(s, MediaRequest.PARTICIPANT, String.class)) {
                throw new IllegalArgumentException("stream " + i
                        + " needs a numeric ssrc (and rtx, if given) and strings for kind, codec and participant");
            }
        }
        return list;
    }

    private static boolean absentOr(JsonObject o, String field, Class<?> type) {
        Object v = o.getValue(field);
        return v == null || type.isInstance(v);
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
        if (!IP_LITERAL.matcher(host).matches()) {
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
