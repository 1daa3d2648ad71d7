package org.huisclos.media;

import org.huisclos.media.transport.TcpLimits;

/**
 * What a media node needs to start; read from the environment by the launcher (see
 * docs/configuration.md for every variable and its default).
 *
 * @param udpPort       the media UDP port (0: any free one)
 * @param tcpPort       the ICE-TCP port (RFC 6544) for browsers whose network blocks UDP (0: any free one;
 *                      -1: no ICE-TCP)
 * @param publicAddress the address put in candidates: browsers send media there
 * @param capacity      participants the node accepts
 * @param rembBitrate   the receive bitrate the node tells each publisher it may send video at (bits/s)
 * @param udpBlocked    for tests only: drop every UDP datagram on arrival, as a network that blocks
 *                      UDP would (the UDP candidate is still offered, so browsers try it and fall back)
 * @param relayAddress  the address other media nodes send relay links to (an IP literal), e.g. on a
 *                      private network between the nodes; null: {@code publicAddress}
 * @param tcpLimits     bounds on the ICE-TCP port's connections; null: {@link TcpLimits#DEFAULT}
 * @param simulcast     ask publishers for their video in three simulcast layers ({@link #SIMULCAST_RIDS})
 */
public record MediaNodeConfig(String nodeId, String bindAddress, int udpPort, int tcpPort, String publicAddress,
                              int capacity, long rembBitrate, boolean udpBlocked, String relayAddress,
                              TcpLimits tcpLimits, int roomCapacity, boolean simulcast) {
    /** The simulcast layers asked of publishers, lowest first: a quarter, half and full size. */
    public static final java.util.List<String> SIMULCAST_RIDS = java.util.List.of("q", "h", "f");

    /** Participants of one room on one node unless configured (HUISCLOS_ROOM_MAX_PARTICIPANTS). */
    public static final int DEFAULT_ROOM_CAPACITY = 100;

    public MediaNodeConfig {
        if (roomCapacity <= 0) {
            roomCapacity = DEFAULT_ROOM_CAPACITY;
        }
        if (relayAddress == null || relayAddress.isEmpty()) {
            relayAddress = publicAddress;
        }
        if (tcpLimits == null) {
            tcpLimits = TcpLimits.DEFAULT;
        }
    }

    /** No simulcast. */
    public MediaNodeConfig(String nodeId, String bindAddress, int udpPort, int tcpPort, String publicAddress,
                           int capacity, long rembBitrate, boolean udpBlocked, String relayAddress,
                           TcpLimits tcpLimits, int roomCapacity) {
        this(nodeId, bindAddress, udpPort, tcpPort, publicAddress, capacity, rembBitrate, udpBlocked, relayAddress,
                tcpLimits, roomCapacity, false);
    }

    /** The default room capacity. */
    public MediaNodeConfig(String nodeId, String bindAddress, int udpPort, int tcpPort, String publicAddress,
                           int capacity, long rembBitrate, boolean udpBlocked, String relayAddress, TcpLimits tcpLimits) {
        this(nodeId, bindAddress, udpPort, tcpPort, publicAddress, capacity, rembBitrate, udpBlocked, relayAddress,
                tcpLimits, 0);
    }

    /** The default ICE-TCP limits. */
    public MediaNodeConfig(String nodeId, String bindAddress, int udpPort, int tcpPort, String publicAddress,
                           int capacity, long rembBitrate, boolean udpBlocked, String relayAddress) {
        this(nodeId, bindAddress, udpPort, tcpPort, publicAddress, capacity, rembBitrate, udpBlocked, relayAddress, null);
    }

    /** Relay links to the public address. */
    public MediaNodeConfig(String nodeId, String bindAddress, int udpPort, int tcpPort, String publicAddress,
                           int capacity, long rembBitrate, boolean udpBlocked) {
        this(nodeId, bindAddress, udpPort, tcpPort, publicAddress, capacity, rembBitrate, udpBlocked, null);
    }

    /** UDP and an ephemeral ICE-TCP port, UDP not blocked. */
    public MediaNodeConfig(String nodeId, String bindAddress, int udpPort, String publicAddress, int capacity,
                           long rembBitrate) {
        this(nodeId, bindAddress, udpPort, 0, publicAddress, capacity, rembBitrate, false);
    }
}
