package org.huisclos.media.transport;

/**
 * Bounds on the ICE-TCP port (issue 13, item 7), set by the launcher from HUISCLOS_MEDIA_TCP_*
 * (docs/configuration.md).
 *
 * @param maxConnections   connections open at once, checked or not; one more is closed at accept
 * @param maxPerAddress    connections from one remote IP address that have not yet passed a STUN
 *                         check; one more from that address is closed at accept. Checked connections
 *                         do not count (many participants may share one NAT address, and each
 *                         endpoint keeps at most 8 checked paths anyway)
 * @param checkTimeoutNanos how long a connection may stay open without a valid STUN binding request
 */
public record TcpLimits(int maxConnections, int maxPerAddress, long checkTimeoutNanos) {
    public static final int DEFAULT_MAX_CONNECTIONS = 2000;
    public static final int DEFAULT_MAX_PER_ADDRESS = 8;
    public static final int DEFAULT_CHECK_TIMEOUT_MILLIS = 3000;
    public static final TcpLimits DEFAULT = new TcpLimits(DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_PER_ADDRESS,
            DEFAULT_CHECK_TIMEOUT_MILLIS * 1_000_000L);

    public TcpLimits {
        if (maxConnections < 1 || maxPerAddress < 1 || checkTimeoutNanos < 1_000_000L) {
            throw new IllegalArgumentException("ICE-TCP limits must be at least 1 connection, 1 per address and 1 ms: "
                    + maxConnections + ", " + maxPerAddress + ", " + checkTimeoutNanos + " ns");
        }
    }

    public static TcpLimits of(int maxConnections, int maxPerAddress, int checkTimeoutMillis) {
        return new TcpLimits(maxConnections, maxPerAddress, checkTimeoutMillis * 1_000_000L);
    }
}
