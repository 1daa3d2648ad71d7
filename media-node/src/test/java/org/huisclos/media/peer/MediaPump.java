package org.huisclos.media.peer;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends audio and video from some peers on a background thread, paced at one packet of each kind
 * per peer every {@code intervalMillis} (a pacing sleep, not a wait for a condition), until closed.
 */
public final class MediaPump implements AutoCloseable {
    private final Runnable round;
    private final long intervalMillis;
    private final Thread thread;
    private final AtomicLong rounds = new AtomicLong();
    private volatile boolean running = true;
    private volatile Throwable failure;

    public MediaPump(List<TestPeer> peers, long intervalMillis) {
        this(() -> {
            for (TestPeer p : peers) {
                p.sendRtp("audio");
                p.sendRtp("video");
            }
        }, intervalMillis);
    }

    /** Runs {@code round} (what to send in one round) every {@code intervalMillis} until closed. */
    public MediaPump(Runnable round, long intervalMillis) {
        this.round = round;
        this.intervalMillis = intervalMillis;
        this.thread = new Thread(this::run, "media-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            while (running) {
                round.run();
                rounds.incrementAndGet();
                Await.pause(intervalMillis);
            }
        } catch (Throwable t) {
            failure = t;
        }
    }

    /** Rounds sent so far (one audio and one video packet per peer each). */
    public long rounds() {
        return rounds.get();
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (failure != null) {
            throw new AssertionError("media pump failed", failure);
        }
    }
}
