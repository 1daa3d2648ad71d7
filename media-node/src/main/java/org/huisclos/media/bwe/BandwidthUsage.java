package org.huisclos.media.bwe;

/** What the delay gradient says about the path (draft-ietf-rmcat-gcc-02 §5.4). */
enum BandwidthUsage {
    /** Queues are steady: the rate may grow. */
    NORMAL,
    /** Queues drain: hold the rate until they are empty. */
    UNDERUSING,
    /** Queues grow: the rate exceeds the path's capacity. */
    OVERUSING
}
