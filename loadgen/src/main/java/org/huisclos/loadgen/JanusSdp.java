package org.huisclos.loadgen;

import java.net.InetSocketAddress;
import org.huisclos.media.dtls.DtlsRole;
import org.huisclos.media.peer.AnswerBuilder;
import org.huisclos.media.sdp.MediaSection;
import org.huisclos.media.sdp.SdpException;
import org.huisclos.media.sdp.SessionDescription;

/**
 * The SDP the generator exchanges with Janus: the offer a publishing leg sends (audio and video sendonly,
 * {@code a=setup:actpass}, one host candidate on 127.0.0.1, bundled and rtcp-muxed, payload types as in
 * {@link AnswerBuilder}), and the ICE/DTLS parameters read back from Janus' answer or offer.
 */
final class JanusSdp {
    private static final String CRLF = "\r\n";

    private JanusSdp() {
    }

    /** A publisher's offer: Opus on mid "a", VP8 on mid "v", both sendonly with the given SSRCs. */
    static String publishOffer(String ufrag, String pwd, String fingerprint, String cname, int audioSsrc,
                               int videoSsrc, int port) {
        StringBuilder sdp = new StringBuilder(1024);
        line(sdp, "v=0");
        line(sdp, "o=- " + (System.nanoTime() & 0x7fffffffffffL) + " 1 IN IP4 127.0.0.1");
        line(sdp, "s=-");
        line(sdp, "t=0 0");
        line(sdp, "a=group:BUNDLE a v");
        line(sdp, "a=msid-semantic: WMS " + cname);
        line(sdp, "m=audio 9 UDP/TLS/RTP/SAVPF " + AnswerBuilder.OPUS_PT);
        common(sdp, ufrag, pwd, fingerprint, "a", port);
        line(sdp, "a=rtpmap:" + AnswerBuilder.OPUS_PT + " opus/48000/2");
        line(sdp, "a=fmtp:" + AnswerBuilder.OPUS_PT + " minptime=10;useinbandfec=1");
        ssrc(sdp, audioSsrc & 0xffffffffL, cname, "audio");
        line(sdp, "m=video 9 UDP/TLS/RTP/SAVPF " + AnswerBuilder.VP8_PT);
        common(sdp, ufrag, pwd, fingerprint, "v", port);
        line(sdp, "a=rtpmap:" + AnswerBuilder.VP8_PT + " VP8/90000");
        line(sdp, "a=rtcp-fb:" + AnswerBuilder.VP8_PT + " nack");
        line(sdp, "a=rtcp-fb:" + AnswerBuilder.VP8_PT + " nack pli");
        ssrc(sdp, videoSsrc & 0xffffffffL, cname, "video");
        return sdp.toString();
    }

    /**
     * {@code sdp} (our answer to Janus' offer) with our host candidate in every m-line: Janus complains of a
     * description without one, although in ICE-lite mode it would learn the address from our checks.
     */
    static String withCandidate(String sdp, int port) {
        return sdp.replace("a=rtcp-mux" + CRLF, "a=rtcp-mux" + CRLF + candidate(port) + CRLF
                + "a=end-of-candidates" + CRLF);
    }

    private static String candidate(int port) {
        return "a=candidate:1 1 udp 2130706431 127.0.0.1 " + port + " typ host";
    }

    private static void common(StringBuilder sdp, String ufrag, String pwd, String fingerprint, String mid,
                               int port) {
        line(sdp, "c=IN IP4 127.0.0.1");
        line(sdp, "a=ice-ufrag:" + ufrag);
        line(sdp, "a=ice-pwd:" + pwd);
        line(sdp, "a=fingerprint:sha-256 " + fingerprint);
        line(sdp, "a=setup:actpass");
        line(sdp, "a=mid:" + mid);
        line(sdp, "a=sendonly");
        line(sdp, "a=rtcp-mux");
        line(sdp, candidate(port));
        line(sdp, "a=end-of-candidates");
    }

    private static void ssrc(StringBuilder sdp, long ssrc, String cname, String kind) {
        line(sdp, "a=ssrc:" + ssrc + " cname:" + cname);
        line(sdp, "a=ssrc:" + ssrc + " msid:" + cname + " " + cname + "-" + kind);
    }

    private static void line(StringBuilder sdp, String line) {
        sdp.append(line).append(CRLF);
    }

    /** Janus' ICE and DTLS parameters: its first UDP host candidate, ufrag, password and fingerprint. */
    static Participant.Remote remote(SessionDescription sdp) {
        String ufrag = sdp.attribute("ice-ufrag");
        String pwd = sdp.attribute("ice-pwd");
        String fingerprint = sdp.attribute("fingerprint");
        if (ufrag == null || pwd == null || fingerprint == null) {
            throw new IllegalStateException("Janus' SDP lacks ice-ufrag, ice-pwd or fingerprint");
        }
        return new Participant.Remote(candidate(sdp), ufrag, pwd, fingerprint);
    }

    /** Our DTLS role given Janus' {@code a=setup}: it answers active (it is the client), or passive. */
    static DtlsRole ourRole(SessionDescription answer) {
        String setup = answer.attribute("setup");
        if ("active".equals(setup)) {
            return DtlsRole.SERVER;
        }
        if ("passive".equals(setup)) {
            return DtlsRole.CLIENT;
        }
        throw new IllegalStateException("unexpected a=setup:" + setup + " in Janus' answer");
    }

    static SessionDescription parse(String sdp) {
        try {
            return SessionDescription.parse(sdp);
        } catch (SdpException e) {
            throw new IllegalStateException("Janus sent SDP we cannot parse: " + e.getMessage(), e);
        }
    }

    private static InetSocketAddress candidate(SessionDescription sdp) {
        for (MediaSection m : sdp.media()) {
            for (String c : m.attributes("candidate")) {
                // foundation component transport priority address port typ host
                String[] f = c.split(" ");
                if (f.length >= 8 && f[1].equals("1") && f[2].equalsIgnoreCase("udp") && f[6].equals("typ")) {
                    return new InetSocketAddress(f[4], Integer.parseInt(f[5]));
                }
            }
        }
        throw new IllegalStateException("Janus' SDP has no UDP candidate (is ice_enforce_list the bench interface?)");
    }
}
