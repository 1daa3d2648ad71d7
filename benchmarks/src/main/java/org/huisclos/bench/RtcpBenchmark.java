package org.huisclos.bench;

import java.util.concurrent.TimeUnit;
import org.huisclos.media.rtcp.Fir;
import org.huisclos.media.rtcp.Nack;
import org.huisclos.media.rtcp.RtcpIterator;
import org.huisclos.media.rtcp.RtcpPacket;
import org.huisclos.media.rtcp.SenderReport;
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
 * The RTCP walk of {@code Forwarder.onRtcp} over one compound packet (already decrypted): SR (no report
 * blocks) + SDES (CNAME) + PLI + generic NACK (2 FCI entries, 5 lost packets). Per packet it reads
 * what the forwarder reads: type and FMT, the SR's sender SSRC and NTP middle bits, the PLI/FIR target, the
 * NACK's media SSRC and lost sequence numbers.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar RtcpBenchmark -prof gc}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class RtcpBenchmark {
    private final byte[] compound = new byte[1500];
    private final RtcpIterator rtcp = new RtcpIterator();
    private final int[] lost = new int[256];
    private int length;

    @Setup
    public void setUp() {
        int sender = 0x1234abcd;
        int media = 0x0badcafe;
        int n = SenderReport.write(compound, 0, sender, 0x0123456789abcdefL, 90_000, 1000, 1_200_000);
        n += writeSdesCname(compound, n, sender, "{5f1e0a2b-7c44-4d2e-9a31-0c6f1b2e8d77}".getBytes());
        n += RtcpPacket.writePli(compound, n, sender, media);
        n += Nack.write(compound, n, sender, media, new int[] {100, 101, 105, 116, 117}, 5);
        length = n;
        if (walk() == 0) {
            throw new IllegalStateException("nothing read");
        }
    }

    /** RFC 3550 §6.5: an SDES packet with one CNAME item, as a browser sends it; the node only skips it. */
    static int writeSdesCname(byte[] b, int off, int ssrc, byte[] cname) {
        int length = (4 + 4 + 2 + cname.length + 1 + 3) & ~3; // header, SSRC, item, a null, padded to the word
        java.util.Arrays.fill(b, off, off + length, (byte) 0);
        b[off] = (byte) 0x81;
        b[off + 1] = (byte) RtcpPacket.SDES;
        b[off + 3] = (byte) (length / 4 - 1);
        for (int i = 0; i < 4; i++) {
            b[off + 4 + i] = (byte) (ssrc >>> (24 - 8 * i));
        }
        b[off + 8] = 1; // CNAME
        b[off + 9] = (byte) cname.length;
        System.arraycopy(cname, 0, b, off + 10, cname.length);
        return length;
    }

    @Benchmark
    public long walk() {
        byte[] buf = compound;
        long sum = 0;
        rtcp.reset(buf, 0, length);
        while (rtcp.next()) {
            int type = rtcp.packetType();
            if (type == RtcpPacket.SR) {
                if (SenderReport.isValid(buf, rtcp.offset(), rtcp.length())) {
                    sum += SenderReport.senderSsrc(buf, rtcp.offset()) + SenderReport.ntpMiddle32(buf, rtcp.offset());
                }
            } else if (type == RtcpPacket.PSFB
                    && (rtcp.fmt() == RtcpPacket.FMT_PLI || rtcp.fmt() == RtcpPacket.FMT_FIR)) {
                sum += rtcp.fmt() == RtcpPacket.FMT_FIR && Fir.entryCount(rtcp.length()) > 0
                        ? Fir.entrySsrc(buf, rtcp.offset(), 0) : rtcp.mediaSsrc();
            } else if (type == RtcpPacket.RTPFB && rtcp.fmt() == RtcpPacket.FMT_NACK) {
                sum += rtcp.mediaSsrc();
                int count = Nack.lostSequenceNumbers(buf, rtcp.offset(), rtcp.length(), lost);
                for (int i = 0; i < count; i++) {
                    sum += lost[i];
                }
            } else {
                sum += type;
            }
        }
        if (rtcp.malformed()) {
            throw new IllegalStateException("malformed");
        }
        return sum;
    }
}
