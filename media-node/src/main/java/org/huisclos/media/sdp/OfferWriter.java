package org.huisclos.media.sdp;

import java.util.List;

/**
 * Writes the media node's offers (JSEP, RFC 8829). The node is ICE-lite, offers a=setup:actpass
 * (browsers answer active, so the node is always the DTLS server), bundles every section on one
 * transport and lists its host candidates in each section: one UDP, and, when the node has an
 * ICE-TCP port, one passive TCP candidate (RFC 6544) for networks that block UDP.
 */
public final class OfferWriter {
    private static final String CRLF = "\r\n";
    /** Host UDP: type preference 126, local preference 65535, component 1 (RFC 8445 §5.1.2.1). */
    static final long UDP_PRIORITY = priority(126, 65535);
    /**
     * Host TCP passive: type preference 90 (below UDP's 126, so that browsers prefer UDP when it works;
     * the value Chrome gives its own TCP host candidates), local preference by RFC 6544 §4.2:
     * 2^13 × direction-pref (passive host: 4) + other-pref (8191).
     */
    static final long TCP_PASSIVE_PRIORITY = priority(90, (1 << 13) * 4 + 8191);

    /**
     * What stays the same in every offer of one endpoint.
     *
     * @param port    the media UDP port
     * @param tcpPort the ICE-TCP port, or 0 for none
     */
    public record Transport(long sessionId, String iceUfrag, String icePwd, String fingerprint,
                            String address, int port, int tcpPort) {
    }

    /** RFC 8445 §5.1.2.1, component 1. */
    private static long priority(int typePreference, int localPreference) {
        return ((long) typePreference << 24) + ((long) localPreference << 8) + (256 - 1);
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
        for (HeaderExtension e : HeaderExtension.forSection(s)) {
            line(sdp, "a=extmap:" + e.id() + " " + e.uri());
        }
        for (Codec c : s.codecs()) {
            codec(sdp, c, s.transportCc());
        }
        if (!s.simulcastRids().isEmpty()) {
            for (String rid : s.simulcastRids()) {
                line(sdp, "a=rid:" + rid + " recv");
            }
            line(sdp, "a=simulcast:recv " + String.join(";", s.simulcastRids()));
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
        line(sdp, "a=candidate:1 1 udp " + UDP_PRIORITY + " " + t.address() + " " + t.port() + " typ host");
        if (t.tcpPort() > 0) {
            line(sdp, "a=candidate:2 1 tcp " + TCP_PASSIVE_PRIORITY + " " + t.address() + " " + t.tcpPort()
                    + " typ host tcptype passive");
        }
        line(sdp, "a=end-of-candidates");
    }

    private static void codec(StringBuilder sdp, Codec c, boolean transportCc) {
        String rtpmap = "a=rtpmap:" + c.payloadType() + " " + c.name() + "/" + c.clockRate();
        line(sdp, c.channels() > 0 ? rtpmap + "/" + c.channels() : rtpmap);
        for (String fb : c.feedback()) {
            line(sdp, "a=rtcp-fb:" + c.payloadType() + " " + fb);
        }
        if (transportCc) {
            line(sdp, "a=rtcp-fb:" + c.payloadType() + " transport-cc");
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
