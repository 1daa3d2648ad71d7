package org.huisclos.media.bwe;

/**
 * Groups acknowledged packets into bursts and gives the deltas between consecutive groups
 * (draft-ietf-rmcat-gcc-02 §5.1, §5.2). A group is what was sent within {@link #GROUP_MICROS} of its
 * first packet: a video frame goes out as such a burst, and comparing whole groups, not single packets,
 * keeps the pacer's spacing out of the delay signal. A packet that arrives within
 * {@link #BURST_MICROS} of the group's last one and gained on it in transit (it was queued behind it)
 * joins the group too, as libwebrtc does, so a burst released at once by a link counts once.
 *
 * <p>When a group completes and one came before it, {@link #add} returns true and the fields
 * {@link #sendDeltaMicros}, {@link #arrivalDeltaMicros} and {@link #arrivalMicros} describe it. The
 * one-way delay variation the trendline needs is {@code arrivalDelta - sendDelta}.
 */
final class InterArrival {
    static final long GROUP_MICROS = 5_000;
    static final long BURST_MICROS = 5_000;
    static final long MAX_BURST_MICROS = 100_000;
    /** A delta this far from the send delta is a clock jump at the receiver, not queueing: start over. */
    static final long RESET_MICROS = 3_000_000;

    private boolean hasCurrent;
    private boolean hasPrevious;
    private long firstSend;
    private long lastSend;
    private long firstArrival;
    private long lastArrival;
    private long previousLastSend;
    private long previousLastArrival;

    long sendDeltaMicros;
    long arrivalDeltaMicros;
    /** When the group that completed arrived (its last packet), receiver clock. */
    long arrivalMicros;

    boolean add(long sendMicros, long arrival) {
        if (!hasCurrent) {
            start(sendMicros, arrival);
            return false;
        }
        if (sendMicros < firstSend) {
            return false;
        }
        if (sendMicros - firstSend <= GROUP_MICROS || belongsToBurst(sendMicros, arrival)) {
            lastSend = Math.max(lastSend, sendMicros);
            lastArrival = Math.max(lastArrival, arrival);
            return false;
        }
        boolean ready = false;
        if (hasPrevious) {
            sendDeltaMicros = lastSend - previousLastSend;
            arrivalDeltaMicros = lastArrival - previousLastArrival;
            arrivalMicros = lastArrival;
            ready = arrivalDeltaMicros >= 0 && Math.abs(arrivalDeltaMicros - sendDeltaMicros) < RESET_MICROS;
        }
        previousLastSend = lastSend;
        previousLastArrival = lastArrival;
        hasPrevious = true;
        start(sendMicros, arrival);
        return ready;
    }

    private boolean belongsToBurst(long sendMicros, long arrival) {
        long arrivalDelta = arrival - lastArrival;
        long propagationDelta = arrivalDelta - (sendMicros - lastSend);
        return propagationDelta < 0 && arrivalDelta <= BURST_MICROS && arrival - firstArrival < MAX_BURST_MICROS;
    }

    private void start(long sendMicros, long arrival) {
        hasCurrent = true;
        firstSend = sendMicros;
        lastSend = sendMicros;
        firstArrival = arrival;
        lastArrival = arrival;
    }
}
