package org.huisclos.media.relay;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.huisclos.contract.MediaCommand;
import org.huisclos.media.forward.PublishedStream;
import org.huisclos.media.sdp.Codec;

/** What relay-link messages (docs/cluster-protocol.md) carry, turned into the node's own terms and back. */
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
    static List<MediaCommand.Stream> streams(List<PublishedStream> streams) {
        List<MediaCommand.Stream> list = new ArrayList<>(streams.size());
        for (PublishedStream s : streams) {
            list.add(new MediaCommand.Stream(s.participantId, s.kind, s.ssrcUnsigned(),
                    s.hasRtx() ? s.rtxSsrcUnsigned() : MediaCommand.Stream.NO_RTX, s.codec.name()));
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
