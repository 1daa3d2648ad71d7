package org.huisclos.media.rtp;

/**
 * The one-owner rule made observable (issue 13, item 6): state that is not thread-safe, such as a
 * {@link PacketCache}, calls {@link #check()} where it is used; the first thread to use it owns
 * it, and a use from any other thread is counted, for tests to see ({@link #foreignUses()}). A
 * field read and a compare per use: no allocation, no lock, nothing logged.
 */
public final class ThreadOwner {
    private Thread owner; // racy on purpose: a second thread that saw null is still counted once the first is seen
    private volatile long foreign;

    public void check() {
        Thread t = Thread.currentThread();
        if (t != owner) {
            if (owner == null) {
                owner = t;
            } else {
                foreign++; // not atomic: more than zero is what matters
            }
        }
    }

    /** Uses from a thread other than the first one: 0 unless the one-owner rule is broken. */
    public long foreignUses() {
        return foreign;
    }
}
