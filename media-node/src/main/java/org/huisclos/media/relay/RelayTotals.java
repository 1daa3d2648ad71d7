package org.huisclos.media.relay;

import java.util.Collection;

/**
 * The node's relay links taken together, for metrics: packets and bytes each way summed over the
 * links (those still open and those closed since the node started, so the sums never go down),
 * and the largest round-trip time of the open links. Recomputed once a second on the media
 * node's context ({@link RelayManager#tick}); read anywhere. No label can name a room or a peer.
 */
public final class RelayTotals {
    // Links closed so far: the node's context only.
    private long closedPacketsIn;
    private long closedPacketsOut;
    private long closedBytesIn;
    private long closedBytesOut;
    private volatile long packetsIn;
    private volatile long packetsOut;
    private volatile long bytesIn;
    private volatile long bytesOut;
    private volatile double rttSeconds;

    /** A link closed: its counts stay in the sums. Once per link. */
    void retire(LinkStats s) {
        if (s == null) {
            return;
        }
        closedPacketsIn += s.rtpPacketsIn() + s.rtcpPacketsIn();
        closedPacketsOut += s.rtpPacketsOut() + s.rtcpPacketsOut();
        closedBytesIn += s.bytesIn();
        closedBytesOut += s.bytesOut();
    }

    /** Recomputes the totals over the open links. */
    void update(Collection<RelayLink> open) {
        long pin = closedPacketsIn;
        long pout = closedPacketsOut;
        long bin = closedBytesIn;
        long bout = closedBytesOut;
        long rttMicros = 0;
        for (RelayLink link : open) {
            LinkStats s = link.stats;
            if (s == null) {
                continue;
            }
            pin += s.rtpPacketsIn() + s.rtcpPacketsIn();
            pout += s.rtpPacketsOut() + s.rtcpPacketsOut();
            bin += s.bytesIn();
            bout += s.bytesOut();
            rttMicros = Math.max(rttMicros, s.rttMicros());
        }
        packetsIn = pin;
        packetsOut = pout;
        bytesIn = bin;
        bytesOut = bout;
        rttSeconds = rttMicros / 1e6;
    }

    /** SRTP and SRTCP packets received from peer nodes. */
    public long packetsIn() {
        return packetsIn;
    }

    /** SRTP and SRTCP packets sent to peer nodes. */
    public long packetsOut() {
        return packetsOut;
    }

    /** Bytes received from peer nodes, as on the wire (encrypted). */
    public long bytesIn() {
        return bytesIn;
    }

    /** Bytes sent to peer nodes, as on the wire (encrypted). */
    public long bytesOut() {
        return bytesOut;
    }

    /** The largest round-trip time over the open links (their latest consent check), 0 without any. */
    public double rttSeconds() {
        return rttSeconds;
    }
}
