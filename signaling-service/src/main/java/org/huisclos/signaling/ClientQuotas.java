package org.huisclos.signaling;

/**
 * How many WebSockets a client may open, and how many joins it may try, per minute
 * (docs/configuration.md: HUISCLOS_WEBSOCKETS_PER_CLIENT_PER_MINUTE, HUISCLOS_JOINS_PER_CLIENT_PER_MINUTE).
 * A client is a keyed hash of its address ({@link ClientAddresses}), so an office behind one NAT
 * shares its quota: the defaults leave room for a few dozen people joining at once. Without them,
 * one client opening hundreds of sockets and joins fills a media node's capacity for everyone (and
 * for the grace period after they close). In memory, per signaling instance; confined to the
 * signaling event loop.
 */
public final class ClientQuotas {
    public static final int DEFAULT_WEBSOCKETS_PER_MINUTE = 60;
    public static final int DEFAULT_JOINS_PER_MINUTE = 30;
    private static final long MINUTE_MILLIS = 60_000;

    private final GuessLimiter sockets;
    private final GuessLimiter joins;

    ClientQuotas(int websocketsPerMinute, int joinsPerMinute) {
        this.sockets = new GuessLimiter(websocketsPerMinute, MINUTE_MILLIS);
        this.joins = new GuessLimiter(joinsPerMinute, MINUTE_MILLIS);
    }

    static ClientQuotas defaults() {
        return new ClientQuotas(DEFAULT_WEBSOCKETS_PER_MINUTE, DEFAULT_JOINS_PER_MINUTE);
    }

    /** Counts a new WebSocket of {@code client}: 0 when it may open it, else the milliseconds until it may. */
    long takeWebSocket(String client, long now) {
        return take(sockets, client, now);
    }

    /** Counts a join of {@code client}: 0 when it may try it, else the milliseconds until it may. */
    long takeJoin(String client, long now) {
        return take(joins, client, now);
    }

    private static long take(GuessLimiter window, String client, long now) {
        long wait = window.retryAfterMillis(client, now);
        if (wait == 0) {
            window.failed(client, now);
        }
        return wait;
    }
}
