package org.huisclos.signaling;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The signaling service's meters (docs/metrics.md). The only labels are {@code code}, whose values
 * are the fixed error codes of docs/protocol.md, and {@code reason}, the fixed refusals of
 * {@link #REFUSALS}: never a room, a name, a participant or an address.
 */
final class SignalingMetrics {
    private final AtomicInteger connections = new AtomicInteger();
    private final Counter joins;
    private final Counter mediaMoves;
    private final Map<String, Counter> errors = new HashMap<>();
    /** The key of a WebSocket refused (HTTP 429) before it became one: no error reply carries it. */
    static final String WEBSOCKETS_PER_CLIENT = "http-429/websockets";
    /** Refusals by a limit or a check, by an error's code and reason: the metric's {@code reason}. */
    static final Map<String, String> REFUSALS = Map.of(
            ClientMessages.RESUME_FAILED + "/expired", "resume_expired",
            ClientMessages.RESUME_FAILED + "/used", "resume_used",
            ClientMessages.TOO_MANY_ATTEMPTS + "/client", "guesses_per_client",
            ClientMessages.TOO_MANY_ATTEMPTS + "/room", "guesses_per_room",
            ClientMessages.RATE_LIMITED + "/set-password", "set_password_per_room",
            ClientMessages.BUSY + "/passwords", "password_pool_busy",
            ClientMessages.RATE_LIMITED + "/joins", "joins_per_client",
            ClientMessages.ROOM_FULL + "/participants", "participants_per_room",
            WEBSOCKETS_PER_CLIENT, "websockets_per_client");
    private final Map<String, Counter> refusals = new HashMap<>();
    private final Timer joinTime;

    SignalingMetrics(MeterRegistry registry) {
        Gauge.builder("huisclos.signaling.connections", connections, AtomicInteger::get)
                .description("Open client WebSockets").register(registry);
        joins = Counter.builder("huisclos.signaling.joins").description("Successful joins").register(registry);
        mediaMoves = Counter.builder("huisclos.signaling.media.moves")
                .description("Participants moved to another media node (theirs died or drained)").register(registry);
        // Registered up front so that every code has a series from the start (rate() needs a zero).
        for (String code : ClientMessages.ERROR_CODES) {
            errors.put(code, Counter.builder("huisclos.signaling.errors").tag("code", code)
                    .description("Error replies sent to clients, by protocol error code").register(registry));
        }
        REFUSALS.forEach((key, reason) -> refusals.put(key, Counter.builder("huisclos.signaling.refusals")
                .tag("reason", reason).description("Requests refused by a limit or an expired or used resume token")
                .register(registry)));
        joinTime = Timer.builder("huisclos.signaling.join")
                .description("From a join received to the participant's first answer relayed to the media node")
                .publishPercentileHistogram()
                // Joins take tens of milliseconds to seconds: bounding the range keeps ~40 buckets, not ~70.
                .minimumExpectedValue(Duration.ofMillis(10)).maximumExpectedValue(Duration.ofSeconds(60))
                .register(registry);
    }

    void connectionOpened() {
        connections.incrementAndGet();
    }

    void connectionClosed() {
        connections.decrementAndGet();
    }

    void joined() {
        joins.increment();
    }

    void mediaMoved() {
        mediaMoves.increment();
    }

    void error(String code) {
        Counter c = errors.get(code);
        if (c != null) { // every code is in ERROR_CODES; an unknown one must not become a new label value
            c.increment();
        }
    }

    /** An error reply; one carrying a refusal's reason also counts as that refusal. */
    void error(String code, String reason) {
        error(code);
        Counter c = reason == null ? null : refusals.get(code + "/" + reason);
        if (c != null) {
            c.increment();
        }
    }

    /** A refusal without an error reply (a {@link #REFUSALS} key). */
    void refused(String key) {
        Counter c = refusals.get(key);
        if (c != null) {
            c.increment();
        }
    }

    void joinCompleted(long startNanos) {
        joinTime.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    }
}
