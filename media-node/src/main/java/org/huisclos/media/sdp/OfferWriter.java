package org.huisclos.media.sdp;

import java.util.List;

/**
 * Writes the media node's offers (JSEP, RFC 8829). The node is ICE-lite, offers a=setup:actpass
 * (browsers answer active, so the node is always the DTLS server), bundles every section on one
 * transport and lists its one host candidate in each section.
 */
public final class OfferWriter {
    private static final String CRLF = "\r\n";

    /** What stays the same in every offer of one endpoint. */
    public record Transport(long sessionId, String iceUfrag, String icePwd, String fingerprint,
                            String address, int port) {
    }

    private OfferWriter() {
    }

    public static String write(Transport t, int version, List<OfferedSection> sections) {
        StringBuilder sdp = new StringBuilder(1024 + 900 * sections.size());
        line(sdp, "v=0");
        line(sdp, "o=- " + t.sessionId() + " " + version + " IN IP4 0.0.0.0");
        line(sdp, "s=-");
        line(sdp, "t=0 0");
        sdp.append("a=group:BUNDLE");
        for (OfferedSection s : sections) {
            sdp.append(' ').append(s.mid());
        }
        sdp.append(CRLF);
        line(sdp, "a=ice-lite");
        line(sdp, "a=msid-semantic: WMS *");
        for (OfferedSection s : sections) {
            section(sdp, t, s);
        }
        return sdp.toString();
    }

    private static void section(StringBuilder sdp, Transport t, OfferedSection s) {
        sdp.append("m=").append(s.kind()).append(' ').append(t.port()).append(" UDP/TLS/RTP/SAVPF");
        for (Codec c : s.codecs()) {
            sdp.append(' ').append(c.payloadType());
            if (c.rtxPayloadType() >= 0) {
                sdp.append(' ').append(c.rtxPayloadType());
            }
        }
        sdp.append(CRLF);
        String family = t.address().contains(":") ? "IP6" : "IP4";
        line(sdp, "c=IN " + family + " " + t.address());
        line(sdp, "a=mid:" + s.mid());
        line(sdp, "a=ice-ufrag:" + t.iceUfrag());
        line(sdp, "a=ice-pwd:" + t.icePwd());
        line(sdp, "a=fingerprint:sha-256 " + t.fingerprint());
        line(sdp, "a=setup:actpass");
        line(sdp, "a=" + s.direction());
        line(sdp, "a=rtcp-mux");
        if (s.kind().equals("video")) {
            line(sdp, "a=rtcp-rsize");
        }
        for (HeaderExtension e : HeaderExtension.forKind(s.kind())) {
            line(sdp, "a=extmap:" + e.id() + " " + e.uri());
        }
        for (Codec c : s.codecs()) {
            codec(sdp, c);
        }
        if (s.ssrc() >= 0) {
            String msid = s.streamId() + " " + s.trackId();
            line(sdp, "a=msid:" + msid);
            if (s.rtxSsrc() >= 0) {
                line(sdp, "a=ssrc-group:FID " + s.ssrc() + " " + s.rtxSsrc());
            }
            ssrcLines(sdp, s.ssrc(), s.streamId(), msid);
            if (s.rtxSsrc() >= 0) {
                ssrcLines(sdp, s.rtxSsrc(), s.streamId(), msid);
            }
        }
        line(sdp, "a=candidate:1 1 udp 2130706431 " + t.address() + " " + t.port() + " typ host");
        line(sdp, "a=end-of-candidates");
    }

    private static void codec(StringBuilder sdp, Codec c) {
        String rtpmap = "a=rtpmap:" + c.payloadType() + " " + c.name() + "/" + c.clockRate();
        line(sdp, c.channels() > 0 ? rtpmap + "/" + c.channels() : rtpmap);
        for (String fb : c.feedback()) {
            line(sdp, "a=rtcp-fb:" + c.payloadType() + " " + fb);
        }
        if (c.fmtp() != null) {
            line(sdp, "a=fmtp:" + c.payloadType() + " " + c.fmtp());
        }
        if (c.rtxPayloadType() >= 0) {
            line(sdp, "a=rtpmap:" + c.rtxPayloadType() + " rtx/" + c.clockRate());
            line(sdp, "a=fmtp:" + c.rtxPayloadType() + " apt=" + c.payloadType());
        }
    }

    private static void ssrcLines(StringBuilder sdp, long ssrc, String cname, String msid) {
        line(sdp, "a=ssrc:" + ssrc + " cname:" + cname);
        line(sdp, "a=ssrc:" + ssrc + " msid:" + msid);
    }

    private static void line(StringBuilder sdp, String line) {
        sdp.append(line).append(CRLF);
    }
}
