package org.huisclos.media.forward;

/** Test access to the package-private increments the forwarding path uses (same package, test classpath). */
public final class ForwardingCountersAccess {
    private ForwardingCountersAccess() {
    }

    public static void received(ForwardingCounters c, int bytes) {
        c.received(bytes);
    }

    public static void sent(ForwardingCounters c, int bytes) {
        c.sent(bytes);
    }

    public static void retransmitted(ForwardingCounters c) {
        c.retransmitted();
    }

    public static void keyframeRequested(ForwardingCounters c) {
        c.keyframeRequested();
    }

    public static void nackReceived(ForwardingCounters c) {
        c.nackReceived();
    }

    public static void pliReceived(ForwardingCounters c) {
        c.pliReceived();
    }

    public static void nackForwarded(ForwardingCounters c) {
        c.nackForwarded();
    }
}
