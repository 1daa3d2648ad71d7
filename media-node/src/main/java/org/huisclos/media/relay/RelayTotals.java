package org.huisclos.media.relay;

import java.util.Collection;

/**
 * The node's relay links taken together, for metrics: packets and bytes each way, and packets
 * expected and lost on the way in, summed over the links (those still open and those closed since
 * the node started, so the sums never go down), the number of open links, and the largest
 * round-trip time of the open links. Recomputed once a second on the media
 * node's context ({@link RelayManager#tick}); read anywhere. No label can name a room or a peer.
 */
public final class RelayTotals {
    // Links closed so far: the node's context only.
    private long closedPacketsIn;
    private long closedPacketsOut;
    private long closedBytesIn;
    private long closedBytesOut;
    private long closedExpectedIn;
    private long closedLostIn;
    private volatile long packetsIn;
    private volatile long packetsOut;
    private volatile long bytesIn;
    private volatile long bytesOut;
    private volatile double rttSeconds;
    private volatile long expectedIn;
    private volatile long lostIn;
    private volatile int openLinks;

    /** A link closed: its counts stay in the sums. Once per link. */
    void retire(RelayLink link) {
        LinkStats s = link.stats;
        if (s == null) {
            return;
        }
        closedExpectedIn += link.packetsExpectedIn();
        closedLostIn += link.packetsLostIn();
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
        long expected = closedExpectedIn;
        long lost = closedLostIn;
        long rttMicros = 0;
        int count = 0;
        for (RelayLink link : open) {
            LinkStats s = link.stats;
            if (s == null) {
                continue;
            }
            count++;
            expected += link.packetsExpectedIn();
            lost += link.packetsLostIn();
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
        expectedIn = Math.max(expectedIn, expected);
        lostIn = Math.max(lostIn, lost); // a late duplicate can lower a stream's count: the sum stays monotonic
        openLinks = count;
    }

    /** RTP packets expected from peer nodes (from the relayed streams' sequence numbers). */
    public long packetsExpectedIn() {
        return expectedIn;
    }

    /** RTP packets from peer nodes that never arrived (expected less received). */
    public long packetsLostIn() {
        return lostIn;
    }

    /** Relay links open now (one per room and peer node). */
    public int openLinks() {
        return openLinks;
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
