package org.huisclos.media.peer;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.huisclos.contract.BadMessage;
import org.huisclos.contract.MediaCodec;
import org.huisclos.contract.NodeMessage;
import org.huisclos.media.sdp.MediaSection;
import org.huisclos.media.sdp.SdpException;
import org.huisclos.media.sdp.SessionDescription;

/** One offer from the media node as the peer received it: {@code {type:"offer", version, sdp, tracks}}. */
public record Offer(int version, String sdp, List<Track> tracks, SessionDescription parsed) {

    /** One entry of {@code tracks}: which participant's media an m-line carries. */
    public record Track(String mid, String participant, String kind) {
    }

    /** The offer in a media node's message to a participant ({@link MediaCodec}). */
    public static Offer from(JsonObject body) throws SdpException {
        NodeMessage message;
        try {
            message = MediaCodec.decodeNodeMessage(body);
        } catch (BadMessage bad) {
            throw new SdpException("unreadable offer message: " + bad.getMessage());
        }
        if (!(message instanceof NodeMessage.Offer o)) {
            throw new SdpException("not an offer message");
        }
        List<Track> tracks = new ArrayList<>();
        for (NodeMessage.Track t : o.tracks()) {
            tracks.add(new Track(t.mid(), t.participant(), t.kind()));
        }
        return new Offer((int) o.version(), o.sdp(), List.copyOf(tracks), SessionDescription.parse(o.sdp()));
    }

    /** The mids whose tracks carry {@code participant}'s media. */
    public List<String> midsOf(String participant) {
        return tracks.stream().filter(t -> t.participant().equals(participant)).map(Track::mid).toList();
    }

    /** The direction of m-line {@code mid} from the node's point of view, or null if there is none. */
    public String direction(String mid) {
        MediaSection m = parsed.mediaByMid(mid);
        return m == null ? null : m.direction();
    }

    public List<String> mids() {
        return parsed.media().stream().map(MediaSection::mid).toList();
    }

    /** The ICE/DTLS parameters of the node, from the first m-line. */
    public String attribute(String name) {
        return parsed.attribute(name);
    }

    /** Host and port of the node's one host candidate. */
    public java.net.InetSocketAddress candidate() {
        String c = parsed.attribute("candidate");
        if (c == null) {
            throw new IllegalStateException("offer has no a=candidate");
        }
        // foundation component transport priority address port typ host
        String[] parts = c.split(" ");
        if (parts.length < 8 || !parts[6].equals("typ")) {
            throw new IllegalStateException("unexpected candidate: " + c);
        }
        return new java.net.InetSocketAddress(parts[4], Integer.parseInt(parts[5]));
    }

    /** Host and port of the node's passive ICE-TCP candidate (RFC 6544), or null when it offers none. */
    public java.net.InetSocketAddress tcpCandidate() {
        for (String line : sdp.split("\r\n")) {
            if (line.startsWith("a=candidate:") && line.endsWith(" typ host tcptype passive")) {
                String[] parts = line.split(" ");
                if (parts[2].equals("tcp")) {
                    return new java.net.InetSocketAddress(parts[4], Integer.parseInt(parts[5]));
                }
            }
        }
        return null;
    }

    /** SSRCs a sendonly line announces (media first, then RTX when grouped), or an empty array. */
    public long[] ssrcsOf(String mid) {
        MediaSection m = parsed.mediaByMid(mid);
        if (m == null) {
            return new long[0];
        }
        long[] fid = m.fidGroup();
        if (fid != null) {
            return fid;
        }
        long s = m.firstSsrc();
        return s < 0 ? new long[0] : new long[] {s};
    }
}
