package org.huisclos.contract;

/**
 * Requests a signaling instance sends to a media node at {@link Addresses#mediaNode(String)}.
 * The action is the message's {@code action} field; every request carries {@code participant}.
 * A media node replies {@code {"ok":true}} or fails the message with one of {@link Failure}.
 * These are the field names and codes; {@link MediaCommand} is a request decoded, and
 * {@link MediaCodec} the one place that reads and writes them.
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
    /** The protocol version of a message ({@link MediaCodec#PROTOCOL_VERSION}); absent means 1. */
    public static final String PROTOCOL = "protocol";
    /** A reply's success flag, and the outstanding offer in a reply to {@link #RESUME}. */
    public static final String OK = "ok";
    public static final String OFFER = "offer";
    /** In the reply to a drain ({@link Addresses#mediaAdmin(String)}): the participants the node had. */
    public static final String PARTICIPANTS = "participants";

    /**
     * {@code {action:"allocate", room:<room key>, participant:<id>}}: create the participant's
     * endpoint in the room. The media node then sends an {@link ParticipantMessage#OFFER} to
     * {@link Addresses#participant(String)}.
     */
    public static final String ALLOCATE = "allocate";
    /** {@code {action:"answer", participant, version, sdp}}: the browser's answer to offer {@code version}. */
    public static final String ANSWER = "answer";
    /**
     * {@code {action:"view", participant, heights:{<mid>: <pixels>}}}: the height each received video is
     * rendered at (0: not shown), from the browser's {@code view} message; the node picks simulcast layers
     * from it. At most {@link #MAX_VIEW_TILES} entries, heights 0..{@link #MAX_VIEW_HEIGHT}.
     */
    public static final String VIEW = "view";
    public static final String HEIGHTS = "heights";
    public static final int MAX_VIEW_TILES = 256;
    public static final int MAX_VIEW_HEIGHT = 8192;
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

    /*
     * Relay links between media nodes (docs/cluster-protocol.md, "Relay links"): one meeting across
     * several nodes. These requests carry no participant; every one names the room and the sending
     * node. They come only over the cluster's event bus, so only a cluster member can open a link,
     * and the DTLS fingerprint of the link is pinned from the request (or its reply).
     */

    /**
     * {@code {action:"relay-connect", room, node:<peer node id>}}: the room also has participants
     * on node {@code node}; open the relay link to it (this node sends {@link #RELAY_OPEN}). Sent by
     * placement (signaling/registry) or tests. Replies ok once the link is set up on both sides.
     */
    public static final String RELAY_CONNECT = "relay-connect";
    /**
     * {@code {action:"relay-open", room, node:<sender>, address:"ip:port", fingerprint, ufrag, pwd,
     * streams:[…]}}: a node asks this one for a link. Replies the same fields for this node.
     */
    public static final String RELAY_OPEN = "relay-open";
    /** {@code {action:"relay-ready", room, node}}: the requester, DTLS server, is listening; the client may start. */
    public static final String RELAY_READY = "relay-ready";
    /**
     * {@code {action:"relay-streams", room, node, streams:[{participant, kind, ssrc, rtx, codec}]}}:
     * every stream published on {@code node} in the room, now (the whole list each time).
     */
    public static final String RELAY_STREAMS = "relay-streams";
    /** {@code {action:"relay-close", room, node}}: the room no longer has participants on {@code node}. */
    public static final String RELAY_CLOSE = "relay-close";

    /** Whether {@code action} is one of the relay-link actions, which another media node sends (RELAY_*). */
    public static boolean isRelayAction(String action) {
        return RELAY_CONNECT.equals(action) || RELAY_OPEN.equals(action) || RELAY_READY.equals(action)
                || RELAY_STREAMS.equals(action) || RELAY_CLOSE.equals(action);
    }

    public static final String NODE = "node";
    public static final String ADDRESS = "address";
    public static final String FINGERPRINT = "fingerprint";
    public static final String UFRAG = "ufrag";
    public static final String PWD = "pwd";
    public static final String STREAMS = "streams";
    /** Fields of one entry of {@link #STREAMS}. */
    public static final String STREAM_KIND = "kind";
    public static final String STREAM_SSRC = "ssrc";
    public static final String STREAM_RTX = "rtx";
    public static final String STREAM_CODEC = "codec";

    /** Failure codes of a media node's reply ({@code message.fail(code, text)}). */
    public static final class Failure {
        private Failure() {
        }

        public static final int BAD_REQUEST = 400;
        public static final int UNKNOWN_PARTICIPANT = 404;
        public static final int STALE_ANSWER = 409;
        /** relay-open: a link for this room and node exists already (crossed requests). */
        public static final int CONFLICT = 409;
        public static final int FULL = 503;
        /** The node failed on a request it could read (a bug): it still answers, rather than leave the caller waiting. */
        public static final int INTERNAL = 500;
        /** allocate: the room has its most participants on this node (not tried on another node). */
        public static final int ROOM_FULL = 429;
    }

    /** How long a signaling instance waits for a media node's reply. */
    public static final long TIMEOUT_MS = 5_000;
}
