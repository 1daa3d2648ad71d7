package org.huisclos.media.sdp;

import java.util.List;

/**
 * RTP header extensions (RFC 8285) the media node offers, with fixed ids: one numbering across
 * the BUNDLE group and in every offer, so forwarded packets keep their extension ids.
 * abs-send-time and transport-wide-cc are left out on purpose: both describe the sender's clock
 * and would be wrong once forwarded unchanged.
 */
public record HeaderExtension(int id, String uri, String kind) {
    public static final HeaderExtension AUDIO_LEVEL =
            new HeaderExtension(1, "urn:ietf:params:rtp-hdrext:ssrc-audio-level", "audio");
    public static final HeaderExtension VIDEO_ORIENTATION =
            new HeaderExtension(4, "urn:3gpp:video-orientation", "video");

    public static List<HeaderExtension> forKind(String kind) {
        return kind.equals("audio") ? List.of(AUDIO_LEVEL) : List.of(VIDEO_ORIENTATION);
    }
}
