package org.huisclos.contract;

import java.util.List;

/**
 * A message a media node sends to {@link Addresses#participant(String)}, decoded: the signaling
 * instance holding the participant passes its content on to the browser. {@link MediaCodec} encodes
 * and decodes it; {@link ParticipantMessage} documents the fields.
 */
public sealed interface NodeMessage extends ParticipantMessage {
    /** The id of the node that sent it: signaling drops late messages of a node the participant left. */
    String node();

    /** A new offer, version {@code version} of the node's; {@code tracks} maps receiving m-lines to publishers. */
    record Offer(String node, long version, String sdp, List<Track> tracks) implements NodeMessage {
        public Offer {
            tracks = List.copyOf(tracks);
        }
    }

    /** Which participant's media the m-line {@code mid} carries, and its kind. */
    record Track(String mid, String participant, String kind) {
    }

    /** The simulcast layers (rids) of the participant's video to encode; the others may pause. */
    record Layers(String node, List<String> active) implements NodeMessage {
        public Layers {
            active = List.copyOf(active);
        }
    }

    /** The participant of the room who holds the floor now (the dominant speaker). */
    record Speaker(String node, String participant) implements NodeMessage {
    }

    /** The participant's endpoint is gone (its DTLS handshake failed, for example); {@code reason} says why. */
    record MediaFailed(String node, String reason) implements NodeMessage {
    }
}
