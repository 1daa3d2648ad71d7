package org.huisclos.contract;

import java.util.List;

/**
 * A request to a media node at {@link Addresses#mediaNode(String)}, decoded. {@link MediaCodec}
 * turns each into its JSON form and back; {@link MediaRequest} documents the fields. Requests from
 * signaling name a participant; relay-link requests between media nodes ({@link Relay}) name a
 * room and the sending node.
 */
public sealed interface MediaCommand {

    /** Create the participant's endpoint in the room; the node then sends an {@link NodeMessage.Offer}. */
    record Allocate(String room, String participant) implements MediaCommand {
    }

    /** The browser's answer to the node's offer {@code version}. */
    record Answer(String participant, long version, String sdp) implements MediaCommand {
    }

    /** The participant left: its endpoint and streams go. */
    record Release(String participant) implements MediaCommand {
    }

    /**
     * How the participant shows the videos it receives: per m-line (mid), the height in pixels it renders
     * the video at, 0 for not shown. The node picks simulcast layers from it.
     */
    record View(String participant, java.util.Map<String, Integer> heights) implements MediaCommand {
        public View {
            heights = java.util.Map.copyOf(heights);
        }
    }

    /** Another signaling instance took the participant over: reply with its outstanding offer. */
    record Resume(String participant) implements MediaCommand {
    }

    /** A relay-link request (docs/cluster-protocol.md, "Relay links"). */
    sealed interface Relay extends MediaCommand {
        String room();

        /** The node that sent the request, or for {@link Connect} the node to link to. */
        String node();
    }

    /** Placement: the room also has participants on {@code node}; open a link to it. */
    record Connect(String room, String node) implements Relay {
    }

    /** A node asks this one for a link, with its own link parameters. */
    record Open(String room, String node, LinkParameters link) implements Relay {
    }

    /** The requester, DTLS server, is listening: the client may start its handshake. */
    record Ready(String room, String node) implements Relay {
    }

    /** Every stream published on {@code node} in the room, now (the whole list each time). */
    record Streams(String room, String node, List<Stream> streams) implements Relay {
        public Streams {
            streams = List.copyOf(streams);
        }
    }

    /** The room no longer has participants on {@code node}. */
    record Close(String room, String node) implements Relay {
    }

    /**
     * One side's parameters of a relay link: its media address ("ip:port"), DTLS fingerprint, ICE
     * credentials and the streams it has for the room. Sent in {@link Open} and in its reply.
     */
    record LinkParameters(String address, String fingerprint, String ufrag, String pwd, List<Stream> streams) {
        public LinkParameters {
            streams = List.copyOf(streams);
        }
    }

    /**
     * A stream announced over a relay link: its publisher, kind ("audio" or "video"), SSRC, RTX
     * SSRC ({@link #NO_RTX} when none) and codec name.
     */
    record Stream(String participant, String kind, long ssrc, long rtx, String codec) {
        public static final long NO_RTX = -1;
    }
}
