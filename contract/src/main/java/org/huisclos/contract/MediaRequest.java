package org.huisclos.contract;

/**
 * Requests a signaling instance sends to a media node at {@link Addresses#mediaNode(String)}.
 * The action is the message's {@code action} field; every request carries {@code participant}.
 * A media node replies {@code {"ok":true}} or fails the message with one of {@link Failure}.
 */
public final class MediaRequest {
    private MediaRequest() {
    }

    /** Field names. */
    public static final String ACTION = "action";
    public static final String ROOM = "room";
    public static final String PARTICIPANT = "participant";
    public static final String VERSION = "version";
    public static final String SDP = "sdp";

    /**
     * {@code {action:"allocate", room:<room key>, participant:<id>}}: create the participant's
     * endpoint in the room. The media node then sends an {@link ParticipantMessage#OFFER} to
     * {@link Addresses#participant(String)}.
     */
    public static final String ALLOCATE = "allocate";
    /** {@code {action:"answer", participant, version, sdp}}: the browser's answer to offer {@code version}. */
    public static final String ANSWER = "answer";
    /** {@code {action:"release", participant}}: the participant left; its endpoint and streams go. */
    public static final String RELEASE = "release";
    /**
     * {@code {action:"resume", participant}}: another signaling instance took the participant over
     * (docs/protocol.md, Reconnection). Replies {@code {ok:true, offer}} with the outstanding offer
     * message (same version), or without {@code offer} when none is outstanding; fails with
     * {@link Failure#UNKNOWN_PARTICIPANT} when it does not know the participant. The offer comes in
     * the reply because right after a takeover the participant's address may still lead to the old
     * instance.
     */
    public static final String RESUME = "resume";

    /** Failure codes of a media node's reply ({@code message.fail(code, text)}). */
    public static final class Failure {
        private Failure() {
        }

        public static final int BAD_REQUEST = 400;
        public static final int UNKNOWN_PARTICIPANT = 404;
        public static final int STALE_ANSWER = 409;
        public static final int FULL = 503;
    }

    /** How long a signaling instance waits for a media node's reply. */
    public static final long TIMEOUT_MS = 5_000;
}
