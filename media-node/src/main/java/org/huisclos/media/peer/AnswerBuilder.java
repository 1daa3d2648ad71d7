package org.huisclos.media.peer;

import java.util.List;
import java.util.StringJoiner;
import org.huisclos.media.sdp.MediaSection;

/**
 * Builds the answer a browser would give to the node's offer: ICE credentials, its certificate's
 * fingerprint and a=setup:active everywhere; the publish lines (mids a and v) sendonly with the
 * peer's SSRCs (video with its RTX SSRC in an FID group), every sendonly line of the node
 * recvonly, inactive lines inactive. Payload types are the offer's.
 *
 * <p>Given simulcast rids, the video publish line answers as Chromium does (RFC 8853): {@code a=rid:<rid> send}
 * for each, {@code a=simulcast:send} listing them, the offered header extensions, and no SSRC lines.
 */
public final class AnswerBuilder {
    public static final int OPUS_PT = 111;
    public static final int VP8_PT = 96;
    public static final int RTX_PT = 97;
    private static final String CRLF = "\r\n";

    private final String ufrag;
    private final String pwd;
    private final String fingerprint;
    private final String cname;
    private final long audioSsrc;
    private final long videoSsrc;
    private final long rtxSsrc;
    /** Simulcast layers the video publish line sends (RFC 8853), lowest first; empty: one stream with SSRCs. */
    private final List<String> videoRids;
    private final long sessionId = System.nanoTime() & 0x7fffffffffffL;

    public AnswerBuilder(String ufrag, String pwd, String fingerprint, String cname, int audioSsrc, int videoSsrc,
                  int rtxSsrc) {
        this(ufrag, pwd, fingerprint, cname, audioSsrc, videoSsrc, rtxSsrc, List.of());
    }

    /** A publisher of simulcast video in the layers {@code videoRids} (lowest first), or of one stream when empty. */
    public AnswerBuilder(String ufrag, String pwd, String fingerprint, String cname, int audioSsrc, int videoSsrc,
                  int rtxSsrc, List<String> videoRids) {
        this.videoRids = List.copyOf(videoRids);
        this.ufrag = ufrag;
        this.pwd = pwd;
        this.fingerprint = fingerprint;
        this.cname = cname;
        this.audioSsrc = audioSsrc & 0xffffffffL;
        this.videoSsrc = videoSsrc & 0xffffffffL;
        this.rtxSsrc = rtxSsrc & 0xffffffffL;
    }

    public String answer(Offer offer) {
        StringBuilder sdp = new StringBuilder(2048);
        line(sdp, "v=0");
        line(sdp, "o=- " + sessionId + " " + offer.version() + " IN IP4 127.0.0.1");
        line(sdp, "s=-");
        line(sdp, "t=0 0");
        StringJoiner bundle = new StringJoiner(" ", "a=group:BUNDLE ", "");
        offer.mids().forEach(bundle::add);
        line(sdp, bundle.toString());
        line(sdp, "a=msid-semantic: WMS " + cname);
        for (MediaSection m : offer.parsed().media()) {
            section(sdp, m);
        }
        return sdp.toString();
    }

    private void section(StringBuilder sdp, MediaSection offered) {
        String mid = offered.mid();
        boolean publishAudio = "a".equals(mid);
        boolean publishVideo = "v".equals(mid);
        StringJoiner formats = new StringJoiner(" ");
        if (publishAudio) {
            formats.add(Integer.toString(OPUS_PT));
        } else if (publishVideo) {
            formats.add(Integer.toString(VP8_PT)).add(Integer.toString(RTX_PT));
        } else {
            offered.formats().forEach(f -> formats.add(Integer.toString(f)));
        }
        line(sdp, "m=" + offered.kind() + " 9 UDP/TLS/RTP/SAVPF " + formats);
        line(sdp, "c=IN IP4 0.0.0.0");
        line(sdp, "a=ice-ufrag:" + ufrag);
        line(sdp, "a=ice-pwd:" + pwd);
        line(sdp, "a=fingerprint:sha-256 " + fingerprint);
        line(sdp, "a=setup:active");
        line(sdp, "a=mid:" + mid);
        line(sdp, "a=" + direction(offered, publishAudio || publishVideo));
        line(sdp, "a=rtcp-mux");
        if (publishAudio) {
            line(sdp, "a=rtpmap:" + OPUS_PT + " opus/48000/2");
            line(sdp, "a=fmtp:" + OPUS_PT + " minptime=10;useinbandfec=1");
            ssrc(sdp, audioSsrc, "audio");
        } else if (publishVideo) {
            line(sdp, "a=rtpmap:" + VP8_PT + " VP8/90000");
            line(sdp, "a=rtcp-fb:" + VP8_PT + " nack");
            line(sdp, "a=rtcp-fb:" + VP8_PT + " nack pli");
            line(sdp, "a=rtpmap:" + RTX_PT + " rtx/90000");
            line(sdp, "a=fmtp:" + RTX_PT + " apt=" + VP8_PT);
            if (!videoRids.isEmpty()) {
                simulcast(sdp, offered);
                return;
            }
            line(sdp, "a=ssrc-group:FID " + videoSsrc + " " + rtxSsrc);
            ssrc(sdp, videoSsrc, "video");
            ssrc(sdp, rtxSsrc, "video");
        } else {
            for (String name : new String[] {"rtpmap", "fmtp", "rtcp-fb"}) {
                for (String value : offered.attributes(name)) {
                    line(sdp, "a=" + name + ":" + value);
                }
            }
        }
    }

    /** The layers as Chromium answers them: rids and a=simulcast, the header extensions it uses, no SSRCs. */
    private void simulcast(StringBuilder sdp, MediaSection offered) {
        for (String extmap : offered.attributes("extmap")) {
            line(sdp, "a=extmap:" + extmap);
        }
        for (String rid : videoRids) {
            line(sdp, "a=rid:" + rid + " send");
        }
        line(sdp, "a=simulcast:send " + String.join(";", videoRids));
    }

    /** Publish lines are sendonly (the node offers them recvonly); node sendonly becomes recvonly. */
    private static String direction(MediaSection offered, boolean publish) {
        return switch (offered.direction()) {
            case "recvonly" -> publish ? "sendonly" : "inactive";
            case "sendonly" -> "recvonly";
            case "sendrecv" -> "sendrecv";
            default -> "inactive";
        };
    }

    private void ssrc(StringBuilder sdp, long ssrc, String kind) {
        line(sdp, "a=ssrc:" + ssrc + " cname:" + cname);
        line(sdp, "a=ssrc:" + ssrc + " msid:" + cname + " " + cname + "-" + kind);
    }

    private static void line(StringBuilder sdp, String line) {
        sdp.append(line).append(CRLF);
    }
}
