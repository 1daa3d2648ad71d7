package org.huisclos.contract;

/**
 * Messages sent to {@link Addresses#participant(String)}, consumed by the signaling instance
 * that holds the participant's WebSocket and passed on to the browser as they are, with the
 * {@code type} field naming the message.
 */
public final class ParticipantMessage {
    private ParticipantMessage() {
    }

    public static final String TYPE = "type";

    /**
     * From the media node: {@code {type:"offer", version:n, sdp:"...", tracks:[{mid, participant,
     * kind}]}}. {@code tracks} maps each receiving m-line to the participant whose media it carries.
     */
    public static final String OFFER = "offer";

    /**
     * From another participant's signaling instance, in reply to a {@link RoomEvent#JOINED}:
     * {@code {type:"participant", participant, name, audio, video}}.
     */
    public static final String PARTICIPANT = "participant";

    /**
     * From the media node: {@code {type:"media-failed", reason}}. The participant's endpoint is gone
     * (its DTLS handshake failed, for example a certificate that does not match the answer's
     * fingerprint); the browser gets an {@code error} with code {@code media-failed} and joins again.
     */
    public static final String MEDIA_FAILED = "media-failed";

    /**
     * From the signaling instance taking a participant over (a {@code resume} there), sent with a
     * reply: {@code {type:"takeover"}}. The instance that held the participant stands down: it
     * closes the participant's WebSocket (code 4000), cancels its grace timer and unregisters,
     * without releasing the media endpoint and without announcing {@code left}; then replies ok.
     */
    public static final String TAKEOVER = "takeover";

    /**
     * On {@link #OFFER} and {@link #MEDIA_FAILED} from a media node: the id of the node that sent
     * it. After a participant moved to another node, signaling drops late messages of the old one.
     * Not passed to the browser.
     */
    public static final String NODE = "node";

    /** Fields of {@link #OFFER} and {@link #MEDIA_FAILED} ({@link NodeMessage}, written and read by {@link MediaCodec}). */
    public static final String VERSION = "version";
    public static final String SDP = "sdp";
    public static final String TRACKS = "tracks";
    public static final String TRACK_MID = "mid";
    public static final String TRACK_PARTICIPANT = "participant";
    public static final String TRACK_KIND = "kind";
    public static final String REASON = "reason";
}
