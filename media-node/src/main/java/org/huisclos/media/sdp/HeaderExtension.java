package org.huisclos.media.sdp;

import java.util.List;

/**
 * RTP header extensions (RFC 8285) the media node offers, with fixed ids: one numbering across
 * the BUNDLE group and in every offer, so forwarded packets keep their extension ids.
 * abs-send-time is left out on purpose: it describes the sender's clock and would be wrong once
 * forwarded unchanged. transport-wide-cc is the node's own: offered on the sections the node sends
 * when it estimates each subscriber's bandwidth, it numbers every packet the node sends the
 * subscriber (written into each copy), never a publisher's.
 *
 * <p>A publisher's simulcast video section also offers the RTP stream ids (RFC 8852): the
 * rtp-stream-id names the layer of a packet (its rid), the repaired-rtp-stream-id the layer an RTX
 * packet repairs. Chromium announces no SSRC for its layers, so the node learns each layer's SSRC
 * from the first packets, which carry these ids.
 */
public record HeaderExtension(int id, String uri, String kind) {
    public static final HeaderExtension AUDIO_LEVEL =
            new HeaderExtension(1, "urn:ietf:params:rtp-hdrext:ssrc-audio-level", "audio");
    public static final HeaderExtension TRANSPORT_CC = new HeaderExtension(3,
            "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01", "any");
    public static final HeaderExtension VIDEO_ORIENTATION =
            new HeaderExtension(4, "urn:3gpp:video-orientation", "video");
    public static final HeaderExtension RTP_STREAM_ID =
            new HeaderExtension(10, "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id", "video");
    public static final HeaderExtension REPAIRED_RTP_STREAM_ID =
            new HeaderExtension(11, "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id", "video");

    public static List<HeaderExtension> forKind(String kind) {
        return kind.equals("audio") ? List.of(AUDIO_LEVEL) : List.of(VIDEO_ORIENTATION);
    }

    /** What a section offers: a simulcast section adds the stream ids. */
    public static List<HeaderExtension> forSection(OfferedSection s) {
        if (!s.simulcastRids().isEmpty()) {
            return List.of(VIDEO_ORIENTATION, RTP_STREAM_ID, REPAIRED_RTP_STREAM_ID);
        }
        if (s.transportCc()) {
            return List.of(forKind(s.kind()).get(0), TRANSPORT_CC);
        }
        return forKind(s.kind());
    }
}
