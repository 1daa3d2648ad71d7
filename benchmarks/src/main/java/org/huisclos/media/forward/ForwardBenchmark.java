package org.huisclos.media.forward;

import java.util.concurrent.TimeUnit;
import org.huisclos.media.sdp.Codec;
import org.huisclos.media.srtp.SrtpContext;
import org.huisclos.media.srtp.SrtpProfile;
import org.huisclos.media.transport.DropCounters;
import org.huisclos.media.transport.Path;
import org.huisclos.media.transport.SendBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One SRTP video packet (1,200 bytes of RTP) through {@link Forwarder#onSrtp} to two subscribers: unprotect,
 * validate, SSRC lookup, receive statistics, NACK cache, then for each subscriber copy, protect and hand to its
 * {@link Path}. The paths here count bytes and send nothing, so no system call is measured: this is the media
 * node's own CPU per received packet, SRTP included. Packets come from a ring of {@value #RING} protected at
 * setup; on wrap the publisher gets a fresh inbound context (else the replay window would drop them), which
 * is amortised over the ring.
 *
 * <p>In package {@code org.huisclos.media.forward} to wire endpoints and streams the way {@code Conference}
 * does (package-private fields).
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar ForwardBenchmark -prof gc}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class ForwardBenchmark {
    static final int RING = 4096;
    static final int PACKET = 1200;
    static final int SSRC = 0x1234abcd;

    @Param({"AEAD_AES_128_GCM", "AES_CM_128_HMAC_SHA1_80"})
    public SrtpProfile profile;

    private byte[] key;
    private byte[] salt;
    private Endpoint publisher;
    private Forwarder forwarder;
    private ForwardingCounters counters;
    private byte[][] ring;
    private int[] ringLength;
    private final byte[] work = new byte[2048];
    private int next;

    /** A path that counts what it is given. */
    static final class CountingPath implements Path {
        long bytes;

        @Override
        public void send(SendBuffer out, int len) {
            bytes += len;
        }

        @Override
        public boolean isOpen() {
            return true;
        }
    }

    @Setup
    public void setUp() {
        key = new byte[profile.keyLength];
        salt = new byte[profile.saltLength];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) (0x10 + i);
        }
        Room room = new Room("bench");
        publisher = new Endpoint("publisher", room);
        PublishedStream stream = new PublishedStream(publisher, "video", SSRC & 0xffffffffL, 0x5678, Codec.VP8);
        publisher.published = new PublishedStream[] {stream};
        publisher.inbound = new SrtpContext(profile, key, salt);
        Subscription[] subscriptions = new Subscription[2];
        for (int i = 0; i < subscriptions.length; i++) {
            Endpoint subscriber = new Endpoint("subscriber" + i, room);
            subscriber.outbound = new SrtpContext(profile, key, salt);
            subscriber.selected = new CountingPath();
            subscriptions[i] = new Subscription(stream, subscriber, "v" + i);
            subscriptions[i].active = true;
            subscriber.subscriptions = new Subscription[] {subscriptions[i]};
        }
        stream.subscribers = subscriptions;

        SrtpContext sender = new SrtpContext(profile, key, salt);
        ring = new byte[RING][PACKET + 64];
        ringLength = new int[RING];
        for (int i = 0; i < RING; i++) {
            org.huisclos.bench.RtpBenchmark.writeVideoPacket(ring[i], i);
            ringLength[i] = sender.protectRtp(ring[i], 0, PACKET);
        }
        counters = new ForwardingCounters();
        forwarder = new Forwarder(new DropCounters(), counters);
        forward();
        if (counters.packetsOut() != 2) {
            throw new IllegalStateException("not forwarded: " + counters.packetsOut() + " sent");
        }
    }

    @Benchmark
    public long forward() {
        int i = next;
        if (i == RING) {
            publisher.inbound = new SrtpContext(profile, key, salt);
            i = 0;
        }
        next = i + 1;
        int len = ringLength[i];
        System.arraycopy(ring[i], 0, work, 0, len);
        forwarder.onSrtp(publisher, work, 0, len);
        return counters.packetsOut();
    }
}
