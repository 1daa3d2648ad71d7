package org.huisclos.contract;

/**
 * Messages sent to {@link Addresses#participant(String)}, consumed by the signaling instance that
 * holds the participant's WebSocket (or a client waiting in a lobby under that id), decoded: a media
 * node's {@link NodeMessage}s, roster entries ({@link RoomEvent.Entry}) from other participants'
 * instances, and requests between signaling instances (takeover, moderation, lobby), which are
 * answered {@code {"ok":true}} or failed. {@link SignalingCodec} writes and reads them; the
 * constants are their types and field names.
 */
public sealed interface ParticipantMessage permits NodeMessage, RoomEvent.Entry, ParticipantMessage.Takeover,
        ParticipantMessage.Knock, ParticipantMessage.KnockCancelled, ParticipantMessage.MuteRequest,
        ParticipantMessage.Remove, ParticipantMessage.ModeratorPing, ParticipantMessage.Admit, ParticipantMessage.Refuse {
    String TYPE = "type";

    /**
     * From the media node: {@code {type:"offer", node, version:n, sdp:"...", tracks:[{mid, participant,
     * kind}]}}. {@code tracks} maps each receiving m-line to the participant whose media it carries.
     */
    String OFFER = "offer";

    /**
     * From another participant's signaling instance, in reply to a {@link RoomEvent#JOINED}:
     * {@code {type:"participant", participant, name, audio, video}}.
     */
    String PARTICIPANT = "participant";

    /**
     * From the media node: {@code {type:"media-failed", node, reason}}. The participant's endpoint is
     * gone (its DTLS handshake failed, for example a certificate that does not match the answer's
     * fingerprint); the browser gets an {@code error} with code {@code media-failed} and joins again.
     */
    String MEDIA_FAILED = "media-failed";

    /**
     * From the media node: {@code {type:"layers", node, active:[rid…]}}. The simulcast layers of the
     * participant's video that someone receives or is about to (lowest always): the browser encodes
     * these and stops encoding the others. Passed on to the browser as {@code layers}.
     */
    String LAYERS = "layers";
    String ACTIVE = "active";

    /**
     * From the media node: {@code {type:"speaker", node, participant}}. The participant of the room who
     * holds the floor now (the dominant speaker, from the audio levels the publishers send); passed on to
     * the browser as {@code speaker}.
     */
    String SPEAKER = "speaker";

    /**
     * From the signaling instance taking a participant over (a {@code resume} there), a request:
     * {@code {type:"takeover", generation}}. The instance that held the participant stands down: it
     * closes the participant's WebSocket (code 4000), cancels its grace timer and unregisters,
     * without releasing the media endpoint and without announcing {@code left}; then replies ok. It
     * refuses (409) a generation other than its participant's current one.
     */
    String TAKEOVER = "takeover";

    /**
     * On {@link #OFFER} and {@link #MEDIA_FAILED} from a media node: the id of the node that sent
     * it. After a participant moved to another node, signaling drops late messages of the old one.
     * Not passed to the browser.
     */
    String NODE = "node";

    // Requests between signaling instances (docs/cluster-protocol.md, moderation and lobby).
    /** {@code {type:"knock", participant, name}}: to the moderator; someone waits in the lobby. */
    String KNOCK = "knock";
    /** {@code {type:"knock-cancelled", participant}}: to the moderator; that one left the lobby. */
    String KNOCK_CANCELLED = "knock-cancelled";
    /** {@code {type:"mute-request", by}}: the moderator turns this participant's audio off. */
    String MUTE_REQUEST = "mute-request";
    /** {@code {type:"remove", by}}: the moderator removes this participant. */
    String REMOVE = "remove";
    /** {@code {type:"moderator-ping"}}: is the moderator still held by some instance (any reply: yes). */
    String MODERATOR_PING = "moderator-ping";
    /** {@code {type:"admit"}} and {@code {type:"refuse"}}: to a client waiting in the lobby. */
    String ADMIT = "admit";
    String REFUSE = "refuse";

    /** Fields of {@link #OFFER} and {@link #MEDIA_FAILED} ({@link NodeMessage}, written and read by {@link MediaCodec}). */
    String VERSION = "version";
    String SDP = "sdp";
    String TRACKS = "tracks";
    String TRACK_MID = "mid";
    String TRACK_PARTICIPANT = "participant";
    String TRACK_KIND = "kind";
    String REASON = "reason";
    /** Fields of the requests between signaling instances. */
    String GENERATION = "generation";
    String BY = "by";
    String NAME = "name";

    record Takeover(long generation) implements ParticipantMessage {
    }

    record Knock(String participant, String name) implements ParticipantMessage {
    }

    record KnockCancelled(String participant) implements ParticipantMessage {
    }

    record MuteRequest(String by) implements ParticipantMessage {
    }

    record Remove(String by) implements ParticipantMessage {
    }

    record ModeratorPing() implements ParticipantMessage {
    }

    record Admit() implements ParticipantMessage {
    }

    record Refuse() implements ParticipantMessage {
    }
}
