package org.huisclos.media.sdp;

import java.util.List;

/**
 * A codec as the media node offers it. Payload type numbers are the server's, the same in every
 * offer it makes: browsers answer with the offerer's numbers, so a packet needs no payload-type
 * rewrite between a publisher and its subscribers.
 *
 * @param rtxPayloadType the RTX (RFC 4588) payload type paired with this codec, or -1
 */
public record Codec(String kind, int payloadType, String name, int clockRate, int channels, String fmtp,
                    int rtxPayloadType, List<String> feedback) {

    private static final List<String> VIDEO_FEEDBACK = List.of("goog-remb", "nack", "nack pli", "ccm fir");

    public static final Codec OPUS = new Codec("audio", 111, "opus", 48000, 2, "minptime=10;useinbandfec=1", -1, List.of());
    public static final Codec VP8 = new Codec("video", 96, "VP8", 90000, 0, null, 97, VIDEO_FEEDBACK);
    public static final Codec H264 = new Codec("video", 102, "H264", 90000, 0,
            "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f", 103, VIDEO_FEEDBACK);

    /** What a publisher may send, in the server's order of preference. */
    public static final List<Codec> AUDIO = List.of(OPUS);
    public static final List<Codec> VIDEO = List.of(VP8, H264);

    /** The server's codec for a payload type (its own or its RTX), or null. */
    public static Codec byPayloadType(int pt) {
        for (Codec c : List.of(OPUS, VP8, H264)) {
            if (c.payloadType == pt || c.rtxPayloadType == pt) {
                return c;
            }
        }
        return null;
    }
}
