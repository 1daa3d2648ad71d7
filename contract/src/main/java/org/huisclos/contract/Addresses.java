package org.huisclos.contract;

/**
 * Event-bus addresses. Every message between signaling instances and media nodes goes to one of
 * these; docs/cluster-protocol.md describes them and the messages they carry.
 */
public final class Addresses {
    private Addresses() {
    }

    /** Requests to one media node (point to point, with a reply): see {@link MediaRequest}. */
    public static String mediaNode(String nodeId) {
        return "huisclos.media." + nodeId;
    }

    /**
     * The signaling instance that holds a participant's WebSocket consumes this address; media
     * nodes send offers here and other participants' instances send roster entries here.
     */
    public static String participant(String participantId) {
        return "huisclos.participant." + participantId;
    }

    /** Room events, published to every participant of the room: see {@link RoomEvent}. */
    public static String room(String roomKey) {
        return "huisclos.room." + roomKey;
    }

    /**
     * Every signaling instance consumes this address (point to point, with a reply): an instance
     * that stops hands each participant it holds to one other instance, which keeps it for the
     * grace period so that its client can resume anywhere. See docs/cluster-protocol.md.
     */
    public static String signalingHandoff() {
        return "huisclos.signaling.handoff";
    }

    /**
     * Administration of one media node's process (point to point, with a reply):
     * {@code {"action":"drain"}} puts the node in DRAINING; its participants are moved, then the
     * process exits. Replies {@code {"ok":true,"participants":n}}.
     */
    public static String mediaAdmin(String nodeId) {
        return "huisclos.media-admin." + nodeId;
    }

    /** The {@code action} of a {@link #mediaAdmin} request that drains the node. */
    public static final String DRAIN = "drain";
}
