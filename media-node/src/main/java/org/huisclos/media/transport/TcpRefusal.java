package org.huisclos.media.transport;

/** Why the ICE-TCP port closed a connection it did not want; each has a counter and a metric label. */
public enum TcpRefusal {
    /** Accepted while {@link TcpLimits#maxConnections()} were open: closed at once. */
    CONNECTION_LIMIT("connection_limit"),
    /** Accepted while its IP address already had {@link TcpLimits#maxPerAddress()} unchecked connections. */
    PER_ADDRESS_LIMIT("per_address_limit"),
    /** Sent no valid STUN binding request within {@link TcpLimits#checkTimeoutNanos()}. */
    CHECK_TIMEOUT("check_timeout"),
    /** Handling its bytes threw (a bug, or an Error such as OutOfMemoryError): that connection is closed, the rest served. */
    HANDLER_FAILED("handler_failed");

    /** The value of the {@code reason} label, Prometheus style. */
    public final String label;

    TcpRefusal(String label) {
        this.label = label;
    }
}
