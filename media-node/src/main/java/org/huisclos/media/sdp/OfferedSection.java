package org.huisclos.media.sdp;

import java.util.List;

/**
 * One m= section of an offer the media node makes.
 *
 * @param direction     from the server's point of view: recvonly (a publisher's own track),
 *                      sendonly (another participant's track) or inactive (a track that has gone)
 * @param ssrc          the SSRC the server sends from (sendonly only), else -1
 * @param rtxSsrc       the RTX SSRC paired with it, or -1
 * @param streamId      msid stream id (the publishing participant), for sendonly sections
 * @param trackId       msid track id, for sendonly sections
 * @param simulcastRids for a publisher's video section: the layers it is asked to send (RFC 8853),
 *                      lowest first; empty for no simulcast
 * @param transportCc   for a sendonly section: the node numbers its packets with transport-wide
 *                      sequence numbers and asks for transport-cc feedback (its bandwidth estimate)
 */
public record OfferedSection(String mid, String kind, String direction, List<Codec> codecs,
                             long ssrc, long rtxSsrc, String streamId, String trackId, List<String> simulcastRids,
                             boolean transportCc) {

    public static OfferedSection receive(String mid, String kind, List<Codec> codecs) {
        return new OfferedSection(mid, kind, "recvonly", codecs, -1, -1, null, null, List.of(), false);
    }

    /** A publisher's video section asking for simulcast in the layers {@code rids}, lowest first. */
    public static OfferedSection receiveSimulcast(String mid, List<Codec> codecs, List<String> rids) {
        return new OfferedSection(mid, "video", "recvonly", codecs, -1, -1, null, null, List.copyOf(rids), false);
    }

    public static OfferedSection send(String mid, String kind, Codec codec, long ssrc, long rtxSsrc,
                                      String streamId, String trackId, boolean transportCc) {
        return new OfferedSection(mid, kind, "sendonly", List.of(codec), ssrc, rtxSsrc, streamId, trackId, List.of(),
                transportCc);
    }

    public OfferedSection inactive() {
        return new OfferedSection(mid, kind, "inactive", codecs, -1, -1, null, null, List.of(), transportCc);
    }
}
