package org.huisclos.media.sdp;

import java.util.ArrayList;
import java.util.List;

/**
 * What the media node needs from a browser's answer: its ICE credentials, its certificate
 * fingerprint, and for the publish sections ({@code a} and {@code v}) the SSRCs and codecs it
 * will send with.
 *
 * @param audioSsrc    -1 when the browser sends no audio
 * @param videoSsrc    -1 when the browser sends no video
 * @param videoRtxSsrc -1 without RTX
 * @param videoCodec   the codec the browser sends video with (first in its answer), or null
 * @param videoRids    the simulcast layers the browser will send (its a=simulcast:send, RFC 8853), in
 *                     its order; empty without simulcast. With simulcast the SSRCs are -1: Chromium
 *                     announces none, and the node learns each layer's SSRC from its rtp-stream-id.
 */
public record PublisherAnswer(String iceUfrag, String icePwd, String fingerprint,
                              long audioSsrc, long videoSsrc, long videoRtxSsrc, Codec videoCodec,
                              List<String> videoRids) {

    public static final String AUDIO_MID = "a";
    public static final String VIDEO_MID = "v";
    private static final java.util.regex.Pattern SHA256_FINGERPRINT =
            java.util.regex.Pattern.compile("[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){31}");

    public static PublisherAnswer parse(SessionDescription answer) throws SdpException {
        String ufrag = answer.attribute("ice-ufrag");
        String pwd = answer.attribute("ice-pwd");
        String fingerprint = answer.attribute("fingerprint");
        String setup = answer.attribute("setup");
        if (ufrag == null || pwd == null) {
            throw new SdpException("answer has no a=ice-ufrag / a=ice-pwd");
        }
        if (fingerprint == null || !fingerprint.regionMatches(true, 0, "sha-256 ", 0, 8)) {
            throw new SdpException("answer has no a=fingerprint:sha-256");
        }
        String fingerprintValue = fingerprint.substring(8).trim();
        if (!SHA256_FINGERPRINT.matcher(fingerprintValue).matches()) {
            throw new SdpException("a=fingerprint:sha-256 must be 32 colon-separated hex bytes");
        }
        if (setup != null && !setup.equals("active")) {
            throw new SdpException("answer must say a=setup:active (the media node is the DTLS server)");
        }
        long audioSsrc = -1;
        MediaSection audio = answer.mediaByMid(AUDIO_MID);
        if (sends(audio)) {
            audioSsrc = audio.firstSsrc();
        }
        long videoSsrc = -1;
        long videoRtx = -1;
        Codec videoCodec = null;
        MediaSection video = answer.mediaByMid(VIDEO_MID);
        List<String> rids = List.of();
        if (sends(video)) {
            rids = simulcastRids(video);
            long[] fid = video.fidGroup();
            if (!rids.isEmpty()) {
                // the layers' SSRCs are learnt from their packets (Firefox lists them, unordered)
            } else if (fid != null) {
                videoSsrc = fid[0];
                videoRtx = fid[1];
            } else {
                videoSsrc = video.firstSsrc();
            }
            for (int pt : video.formats()) {
                Codec c = Codec.byPayloadType(pt);
                if (c != null && c.payloadType() == pt && c.kind().equals("video")) {
                    videoCodec = c;
                    break;
                }
            }
            if (videoCodec == null) {
                throw new SdpException("answer accepts none of the offered video codecs");
            }
        }
        return new PublisherAnswer(ufrag, pwd, fingerprintValue, audioSsrc, videoSsrc, videoRtx, videoCodec, rids);
    }

    /**
     * The rids of {@code a=simulcast:send} (RFC 8853 §5.1): streams separated by ';', each a list of
     * alternatives separated by ',' of which the first is taken, '~' marking one paused for now (it is
     * still a layer the browser may send). Empty when the section has no such line.
     */
    static List<String> simulcastRids(MediaSection m) {
        String value = m.attribute("simulcast");
        if (value == null) {
            return List.of();
        }
        String[] parts = value.trim().split(" +");
        List<String> rids = new ArrayList<>();
        for (int i = 0; i + 1 < parts.length; i += 2) {
            if (!parts[i].equals("send")) {
                continue;
            }
            for (String stream : parts[i + 1].split(";")) {
                String rid = stream.split(",")[0];
                if (rid.startsWith("~")) {
                    rid = rid.substring(1);
                }
                if (!rid.isEmpty() && !rids.contains(rid)) {
                    rids.add(rid);
                }
            }
        }
        return List.copyOf(rids);
    }

    private static boolean sends(MediaSection m) {
        return m != null && !m.rejected()
                && (m.direction().equals("sendonly") || m.direction().equals("sendrecv"));
    }
}
