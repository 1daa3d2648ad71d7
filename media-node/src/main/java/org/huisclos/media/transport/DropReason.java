package org.huisclos.media.transport;

/** Why the media node dropped a datagram; each reason has its own counter and metric label. */
public enum DropReason {
    NOT_WEBRTC("not_webrtc"),
    STUN_MALFORMED("stun_malformed"),
    STUN_NOT_REQUEST("stun_not_request"),
    STUN_UNKNOWN_UFRAG("stun_unknown_ufrag"),
    STUN_BAD_INTEGRITY("stun_bad_integrity"),
    STUN_BAD_FINGERPRINT("stun_bad_fingerprint"),
    DTLS_UNKNOWN_ADDRESS("dtls_unknown_address"),
    RTP_UNKNOWN_ADDRESS("rtp_unknown_address"),
    RTP_BEFORE_DTLS("rtp_before_dtls"),
    SRTP_AUTH_FAILED("srtp_auth_failed"),
    SRTP_REPLAY("srtp_replay"),
    SRTP_TOO_MANY_SSRCS("srtp_too_many_ssrcs"),
    RTP_MALFORMED("rtp_malformed"),
    RTP_UNKNOWN_SSRC("rtp_unknown_ssrc"),
    RTX_UPSTREAM("rtx_upstream"),
    RTCP_MALFORMED("rtcp_malformed"),
    /** An ICE-TCP connection's output buffer was full (the peer reads too slowly): the packet is lost, as on UDP. */
    TCP_BACKPRESSURE("tcp_backpressure"),
    /** An ICE-TCP connection sent a length that no WebRTC packet has (RFC 4571 framing broken): it is closed. */
    TCP_BAD_FRAMING("tcp_bad_framing"),
    /** A datagram the node sent was lost because the UDP socket's send buffer was full (the port shares the selector thread, which never blocks). */
    UDP_SEND_BUFFER_FULL("udp_send_buffer_full"),
    /** A UDP datagram dropped on arrival because the node runs with the test switch HUISCLOS_TEST_BLOCK_MEDIA_UDP. */
    UDP_BLOCKED_FOR_TEST("udp_blocked_for_test"),
    /** A STUN request naming a relay link's ufrag without a valid MESSAGE-INTEGRITY or FINGERPRINT for the link. */
    RELAY_STUN_UNAUTHENTICATED("relay_stun_unauthenticated"),
    /** A STUN request for a relay link, properly signed, from an address other than the peer node's pinned one. */
    RELAY_WRONG_ADDRESS("relay_wrong_address"),
    /** SRTP/SRTCP from a relay link's address that fails authentication (or is malformed): not the peer node. */
    RELAY_SRTP_AUTH_FAILED("relay_srtp_auth_failed"),
    /** SRTP/SRTCP on a relay link rejected by replay protection. */
    RELAY_SRTP_REPLAY("relay_srtp_replay"),
    /** A STUN response from a relay link's address that answers none of our consent requests or is not signed. */
    RELAY_STUN_BAD_RESPONSE("relay_stun_bad_response");

    /** The value of the {@code reason} label, Prometheus style. */
    public final String label;

    DropReason(String label) {
        this.label = label;
    }
}
