package org.huisclos.bench;

import java.util.concurrent.TimeUnit;
import org.huisclos.media.rtp.PacketCache;
import org.huisclos.media.rtp.ReceiveStatistics;
import org.huisclos.media.rtp.RtpPacket;
import org.huisclos.media.rtp.Rtx;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The plaintext RTP work of the media node on one 1,200-byte video packet as a browser sends it (V=2, PT 96,
 * a one-byte-header extension block with abs-send-time (id 2, 3 bytes) and transport-wide sequence number
 * (id 3, 2 bytes), 1,176 bytes of payload).
 *
 * <ul>
 *   <li>{@code parse}: what {@code Forwarder} reads of every packet — {@code isValid}, SSRC, sequence number,
 *       timestamp — plus the payload bounds.</li>
 *   <li>{@code receive}: {@code parse} plus the receive statistics and the NACK cache store the forwarder
 *       does for each video packet (the cache copies the 1,200 bytes).</li>
 *   <li>{@code rtxFromCache}: answering one NACKed sequence number — copy out of the cache and write the
 *       RFC 4588 retransmission (new SSRC, sequence number, PT and the 2-byte OSN), as
 *       {@code Forwarder.resend} does per lost packet.</li>
 * </ul>
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar RtpBenchmark -prof gc}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class RtpBenchmark {
    static final int PACKET = 1200;
    public static final int SSRC = 0x1234abcd;
    static final int ABS_SEND_TIME_ID = 2;
    static final int TRANSPORT_CC_ID = 3;

    private final byte[] packet = new byte[PACKET];
    private final PacketCache cache = new PacketCache();
    private final ReceiveStatistics statistics = new ReceiveStatistics(SSRC);
    private final byte[] scratch = new byte[PacketCache.DEFAULT_SLOT_SIZE];
    private final byte[] out = new byte[PacketCache.DEFAULT_SLOT_SIZE + Rtx.OSN_LENGTH];
    private int seq;
    private int rtxSeq;

    @Setup
    public void setUp() {
        writeVideoPacket(packet, 0);
        for (int i = 0; i < PacketCache.DEFAULT_CAPACITY; i++) {
            RtpBenchmark.setSequence(packet, i);
            cache.store(packet, 0, PACKET);
        }
        seq = PacketCache.DEFAULT_CAPACITY;
    }

    /** The packet described in the class comment, with sequence number {@code seq}. */
    public static void writeVideoPacket(byte[] b, int seq) {
        b[0] = (byte) 0x90; // V=2, X=1
        b[1] = 96;
        setSequence(b, seq);
        int ts = seq * 3000;
        b[4] = (byte) (ts >>> 24);
        b[5] = (byte) (ts >>> 16);
        b[6] = (byte) (ts >>> 8);
        b[7] = (byte) ts;
        b[8] = (byte) (SSRC >>> 24);
        b[9] = (byte) (SSRC >>> 16);
        b[10] = (byte) (SSRC >>> 8);
        b[11] = (byte) SSRC;
        b[12] = (byte) 0xBE;
        b[13] = (byte) 0xDE;
        b[14] = 0;
        b[15] = 2; // two 32-bit words of elements
        b[16] = (byte) ((ABS_SEND_TIME_ID << 4) | 2);
        b[17] = 0x12;
        b[18] = 0x34;
        b[19] = 0x56;
        b[20] = (byte) ((TRANSPORT_CC_ID << 4) | 1);
        b[21] = 0x00;
        b[22] = 0x2a;
        b[23] = 0; // padding to the word boundary
        for (int i = 24; i < b.length; i++) {
            b[i] = (byte) (i * 31);
        }
    }

    static void setSequence(byte[] b, int seq) {
        b[2] = (byte) (seq >>> 8);
        b[3] = (byte) seq;
    }

    @Benchmark
    public long parse() {
        byte[] b = packet;
        if (!RtpPacket.isValid(b, 0, PACKET)) {
            throw new IllegalStateException("invalid");
        }
        long sum = RtpPacket.ssrc(b, 0) + RtpPacket.sequenceNumber(b, 0) + RtpPacket.timestamp(b, 0)
                + RtpPacket.payloadType(b, 0);
        return sum + RtpPacket.payloadOffset(b, 0) + RtpPacket.payloadLength(b, 0, PACKET);
    }

    @Benchmark
    public long receive() {
        int s = ++seq & 0xffff;
        setSequence(packet, s);
        long sum = parse();
        statistics.onPacket(s, RtpPacket.timestamp(packet, 0), s * 3000L);
        if (!cache.store(packet, 0, PACKET)) {
            throw new IllegalStateException("not cached");
        }
        return sum;
    }

    @Benchmark
    public int rtxFromCache() {
        int n = cache.copy((seq - 17) & 0xffff, scratch, 0);
        int k = Rtx.writeRtx(scratch, 0, n, out, 0, 97, 0x5678, rtxSeq);
        rtxSeq = (rtxSeq + 1) & 0xffff;
        if (k != n + Rtx.OSN_LENGTH) {
            throw new IllegalStateException("rtx failed: " + k);
        }
        return k;
    }
}
