package org.huisclos.media.forward;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.huisclos.media.bwe.SendSideEstimator;
import org.huisclos.media.dtls.DtlsSession;
import org.huisclos.media.rtp.HeaderExtensions;
import org.huisclos.media.sdp.HeaderExtension;
import org.huisclos.media.srtp.SrtpContext;
import org.huisclos.media.stun.StunIntegrity;
import org.huisclos.media.transport.Path;
import org.huisclos.media.transport.TcpConnection;
import org.huisclos.media.transport.UdpPath;

/**
 * One participant's transport on the media node: its ICE credentials and checked addresses, its
 * DTLS session and SRTP contexts, and the streams it publishes and receives.
 *
 * <p>Threads: the node's one I/O thread (both ports, UDP and ICE-TCP) reads everything here on
 * the packet path and alone uses {@link #stunIntegrity}, its streams' packet caches and its
 * subscriptions' RTX and NACK state ({@link #foreignThreadUses()} counts any other thread's use);
 * the control thread (event-bus handlers) changes the stream arrays copy-on-write and sets the
 * SRTP contexts once. Outgoing protection is shared by the I/O, control and DTLS threads, so it
 * happens under {@link #outboundLock}.
 */
public final class Endpoint {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] UFRAG_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final char[] PWD_CHARS =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".toCharArray();
    private static final int MAX_ADDRESSES = 8;
    private static final int MAX_EARLY_DTLS = 8;

    public final String participantId;
    public final Room room;
    public final String localUfrag = random(UFRAG_CHARS, EndpointTable.UFRAG_LENGTH);
    public final String localPwd = random(PWD_CHARS, 24);
    public final byte[] localPwdBytes = localPwd.getBytes(StandardCharsets.US_ASCII);
    /** Our SSRC as the sender of RTCP feedback and reports towards this endpoint. */
    public final int localSsrc = RANDOM.nextInt();
    public final Negotiation negotiation;
    public final Object outboundLock = new Object();
    /** Checks this endpoint's STUN requests on the I/O thread; one per endpoint so its key never changes. */
    public final StunIntegrity stunIntegrity = new StunIntegrity();

    /** Paths that passed a STUN check: UDP remote addresses and ICE-TCP connections, newest last. */
    private volatile Path[] paths = new Path[0];
    /** Where media goes: the path the browser nominated, or the first that passed a check (UDP or TCP). */
    public volatile Path selected;
    public volatile long lastConsentNanos;

    private final List<byte[]> earlyDtls = new ArrayList<>();
    public volatile DtlsSession dtls;
    public volatile SrtpContext inbound;
    /** Use only under {@link #outboundLock}. */
    public volatile SrtpContext outbound;
    public volatile boolean closed;
    /** True for a relay link to another media node (org.huisclos.media.relay): its address is pinned, never learnt. */
    public final boolean relay;
    /** A relay link's hook (null for a participant): its counters and consent checks. */
    public volatile LinkHook linkHook;

    /**
     * The bandwidth estimate of what the node sends this participant, from its transport-cc feedback
     * (I/O thread); null when the node does not estimate (relay links, or the estimate is off).
     */
    public final SendSideEstimator bwe;
    /** The next transport-wide sequence number of a packet to this participant (I/O thread). */
    int transportSequence;
    /** The participant's index in its room's speaker detector, or -1 (set on the control thread at allocation). */
    volatile int speakerIndex = -1;
    /** {@link #bwe}'s estimate after the last feedback, for the control thread (bits/s); 0 before any. */
    public volatile long estimateBps;

    volatile PublishedStream[] published = new PublishedStream[0];
    volatile Subscription[] subscriptions = new Subscription[0];

    public Endpoint(String participantId, Room room) {
        this(participantId, room, false);
    }

    public Endpoint(String participantId, Room room, boolean relay) {
        this(participantId, room, relay, false);
    }

    /** @param estimate estimate the participant's downlink from transport-wide feedback (never for a link) */
    public Endpoint(String participantId, Room room, boolean relay, boolean estimate) {
        this.relay = relay;
        this.bwe = estimate && !relay ? new SendSideEstimator() : null;
        this.participantId = participantId;
        this.room = room;
        this.negotiation = new Negotiation(this);
    }

    /**
     * What recording a checked path changed, for the caller to index: whether the path is new, and
     * the oldest path it pushed out when the endpoint already had {@value #MAX_ADDRESSES} (or null).
     * One per I/O thread, reused: no allocation per check.
     */
    public static final class PathChange {
        public boolean created;
        public Path displaced;
    }

    /**
     * The UDP path to {@code a}, made and recorded when {@code a} passed a STUN check for the first
     * time; {@code change} says whether it is new and which path it displaced (the caller indexes
     * the new address and forgets the displaced one, so the address table stays bounded).
     */
    public synchronized UdpPath udpPath(org.huisclos.media.transport.UdpTransport transport, InetSocketAddress a,
                                        PathChange change) {
        change.displaced = null;
        for (Path p : paths) {
            if (p instanceof UdpPath u && u.address.equals(a)) {
                change.created = false;
                return u;
            }
        }
        UdpPath u = new UdpPath(transport, a);
        change.displaced = add(u);
        change.created = true;
        return u;
    }

    /** Records an ICE-TCP connection that passed a STUN check; {@code change} as for {@link #udpPath}. */
    public synchronized void addPath(Path p, PathChange change) {
        change.displaced = null;
        for (Path known : paths) {
            if (known == p) {
                change.created = false;
                return;
            }
        }
        change.displaced = add(p);
        change.created = true;
    }

    /** Appends {@code p}; returns the oldest path, dropped to keep {@value #MAX_ADDRESSES}, or null. */
    private Path add(Path p) {
        Path[] old = paths;
        int keep = Math.min(old.length, MAX_ADDRESSES - 1);
        Path[] next = new Path[keep + 1];
        System.arraycopy(old, old.length - keep, next, 0, keep);
        next[keep] = p;
        paths = next;
        Path displaced = keep < old.length ? old[0] : null;
        if (displaced != null && selected == displaced) {
            selected = null; // the next nomination or check selects again
        }
        return displaced;
    }

    /** A path closed (an ICE-TCP connection went away): forget it, and stop sending on it. */
    public synchronized void removePath(Path p) {
        Path[] old = paths;
        int i = 0;
        while (i < old.length && old[i] != p) {
            i++;
        }
        if (i < old.length) {
            Path[] next = new Path[old.length - 1];
            System.arraycopy(old, 0, next, 0, i);
            System.arraycopy(old, i + 1, next, i, old.length - i - 1);
            paths = next;
        }
        if (selected == p) {
            selected = null;
        }
    }

    /** Whether {@code a} is a checked UDP address of this endpoint. No allocation. */
    public boolean hasAddress(InetSocketAddress a) {
        for (Path p : paths) {
            if (p instanceof UdpPath u && u.address.equals(a)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code c} is a checked ICE-TCP connection of this endpoint. No allocation. */
    public boolean hasPath(TcpConnection c) {
        for (Path p : paths) {
            if (p == c) {
                return true;
            }
        }
        return false;
    }

    Path[] paths() {
        return paths;
    }

    /**
     * Takes the SRTP context for what this endpoint sends us. A participant's packets give it state
     * for at most {@link #receivedSsrcLimit} SSRCs; a relay link carries a room and has no limit.
     */
    public void receiveWith(SrtpContext context) {
        if (!relay) {
            context.limitReceivedSsrcs(this::receivedSsrcLimit);
        }
        inbound = context;
    }

    /**
     * SSRCs a participant's packets may give SRTP state to now: its streams and their retransmissions,
     * one per stream it receives (a browser may report from one SSRC per receiving m-line), and a
     * margin for the SSRCs browsers report from otherwise.
     */
    public int receivedSsrcLimit() {
        return 16 + 2 * published.length + 2 * subscriptions.length;
    }

    public boolean connected() {
        return outbound != null && !closed;
    }

    /** The published stream (not simulcast) with this media SSRC, or null. No allocation. */
    public PublishedStream publishedBySsrc(int ssrc) {
        for (PublishedStream s : published) {
            if (s.ssrc == ssrc && s.layers == null) {
                return s;
            }
        }
        return null;
    }

    /**
     * The simulcast layer of a packet with this SSRC: a bound layer of that SSRC, else an unbound layer
     * whose rid the packet's rtp-stream-id names (to be bound once the packet authenticates); null when
     * neither. I/O thread; no allocation.
     */
    SimulcastLayer simulcastLayer(int ssrc, byte[] buf, int off, int len) {
        for (PublishedStream s : published) {
            if (s.layers == null) {
                continue;
            }
            SimulcastLayer bound = s.layerBySsrc(ssrc);
            if (bound != null) {
                return bound;
            }
            int i = HeaderExtensions.ridIndex(buf, off, len, HeaderExtension.RTP_STREAM_ID.id(), s.ridBytes);
            if (i >= 0 && !s.layers[i].bound()) {
                return s.layers[i];
            }
        }
        return null;
    }

    /** The bound simulcast layer with this SSRC, or null. No allocation. */
    SimulcastLayer boundLayer(int ssrc) {
        for (PublishedStream s : published) {
            SimulcastLayer l = s.layers == null ? null : s.layerBySsrc(ssrc);
            if (l != null) {
                return l;
            }
        }
        return null;
    }

    /** Whether an unknown SSRC's packet repairs one of our simulcast layers (RTX, which the node does not use). */
    boolean repairsSimulcast(byte[] buf, int off, int len) {
        for (PublishedStream s : published) {
            if (s.layers != null && HeaderExtensions.ridIndex(buf, off, len,
                    HeaderExtension.REPAIRED_RTP_STREAM_ID.id(), s.ridBytes) >= 0) {
                return true;
            }
        }
        return false;
    }

    /** The stream whose RTX SSRC this is, or null. */
    public PublishedStream publishedByRtxSsrc(int ssrc) {
        for (PublishedStream s : published) {
            if (s.rtxSsrc == ssrc && s.hasRtx()) {
                return s;
            }
        }
        return null;
    }

    public boolean publishesRtxSsrc(int ssrc) {
        for (PublishedStream s : published) {
            if (s.rtxSsrc == ssrc && s.hasRtx()) {
                return true;
            }
        }
        return false;
    }

    /** This endpoint's subscription to the stream with media SSRC {@code ssrc}, or null. */
    public Subscription subscriptionBySsrc(int ssrc) {
        for (Subscription s : subscriptions) {
            if (s.stream.ssrc == ssrc && (s.stream.layers == null || s.stream.announced)) {
                return s;
            }
        }
        return null;
    }

    /**
     * Uses of this endpoint's packet caches and subscription state from a thread other than the
     * one that used each first: 0 while the one-owner rule holds (for tests).
     */
    public long foreignThreadUses() {
        long n = 0;
        for (PublishedStream s : published) {
            n += s.cache == null ? 0 : s.cache.owner().foreignUses();
            if (s.layers != null) {
                for (SimulcastLayer l : s.layers) {
                    n += l.cache.owner().foreignUses();
                }
            }
        }
        for (Subscription s : subscriptions) {
            n += s.owner.foreignUses();
        }
        return n;
    }

    public PublishedStream[] published() {
        return published;
    }

    public Subscription[] subscriptions() {
        return subscriptions;
    }

    /** Keeps DTLS records that arrive before the answer told us the peer's fingerprint. */
    public synchronized boolean keepEarlyDtls(byte[] buf, int off, int len) {
        if (earlyDtls.size() >= MAX_EARLY_DTLS) {
            return false;
        }
        byte[] copy = new byte[len];
        System.arraycopy(buf, off, copy, 0, len);
        earlyDtls.add(copy);
        return true;
    }

    public synchronized List<byte[]> takeEarlyDtls() {
        List<byte[]> out = new ArrayList<>(earlyDtls);
        earlyDtls.clear();
        return out;
    }

    private static String random(char[] alphabet, int length) {
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = alphabet[RANDOM.nextInt(alphabet.length)];
        }
        return new String(out);
    }
}
