package org.huisclos.media.srtp;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.modes.gcm.GCMMultiplier;
import org.bouncycastle.crypto.modes.gcm.Tables4kGCMMultiplier;
import org.bouncycastle.crypto.modes.gcm.Tables64kGCMMultiplier;
import org.bouncycastle.crypto.modes.gcm.Tables8kGCMMultiplier;
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
 * GHASH alone over one 1,200-byte SRTP packet (12 bytes of AAD, 1,188 of ciphertext, then the length block):
 * our {@link Ghash} against Bouncy Castle's table multipliers, driven block by block as {@code AesGcm} drove
 * {@code Tables4kGCMMultiplier} before. In package {@code org.huisclos.media.srtp} because {@code Ghash} is
 * package-private.
 *
 * <p>{@code keys}: how many keys (so tables) take turns, one per packet. With 1 the table stays in the L1/L2
 * cache; 256 is closer to a media node protecting for many subscribers, each with its own key.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar GhashBenchmark -prof gc}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class GhashBenchmark {
    static final int AAD = 12;
    static final int TEXT = 1188;

    @Param({"HUISCLOS", "BC_TABLES4K", "BC_TABLES8K", "BC_TABLES64K"})
    public String impl;

    @Param({"1", "256"})
    public int keys;

    private final byte[] packet = new byte[AAD + TEXT];
    private final byte[] out = new byte[16];
    private Ghash[] ghashes;
    private GCMMultiplier[] multipliers;
    private int turn;

    @Setup
    public void setUp() {
        byte[] h = new byte[16];
        for (int i = 0; i < packet.length; i++) {
            packet[i] = (byte) (i * 31);
        }
        ghashes = new Ghash[keys];
        multipliers = new GCMMultiplier[keys];
        for (int k = 0; k < keys; k++) {
            for (int i = 0; i < 16; i++) {
                h[i] = (byte) (0x66 + 7 * i + k);
            }
            switch (impl) {
                case "HUISCLOS" -> ghashes[k] = new Ghash(h);
                case "BC_TABLES4K" -> multipliers[k] = new Tables4kGCMMultiplier();
                case "BC_TABLES8K" -> multipliers[k] = new Tables8kGCMMultiplier();
                case "BC_TABLES64K" -> multipliers[k] = new Tables64kGCMMultiplier();
                default -> throw new IllegalArgumentException(impl);
            }
            if (multipliers[k] != null) {
                multipliers[k].init(h);
            }
        }
        // Every candidate must give Ghash's result (Ghash is checked against the spec's vectors in GhashTest).
        for (int k = 0; k < keys; k++) {
            for (int i = 0; i < 16; i++) {
                h[i] = (byte) (0x66 + 7 * i + k);
            }
            Ghash reference = new Ghash(h);
            byte[] expected = new byte[16];
            reference.update(packet, 0, AAD);
            reference.padBlock();
            reference.update(packet, AAD, TEXT);
            reference.finish(AAD, TEXT, expected, 0);
            if (!Arrays.equals(expected, packet())) {
                throw new IllegalStateException(impl + " disagrees with Ghash");
            }
        }
    }

    @Benchmark
    public byte[] packet() {
        int k = turn;
        turn = k + 1 == keys ? 0 : k + 1;
        Ghash ghash = ghashes[k];
        if (ghash != null) {
            ghash.reset();
            ghash.update(packet, 0, AAD);
            ghash.padBlock();
            ghash.update(packet, AAD, TEXT);
            ghash.finish(AAD, TEXT, out, 0);
            return out;
        }
        GCMMultiplier multiplier = multipliers[k];
        Arrays.fill(out, (byte) 0);
        absorb(multiplier, 0, AAD);
        absorb(multiplier, AAD, TEXT);
        for (int i = 0; i < 8; i++) {
            out[i] ^= (byte) (((long) AAD << 3) >>> (56 - 8 * i));
            out[8 + i] ^= (byte) (((long) TEXT << 3) >>> (56 - 8 * i));
        }
        multiplier.multiplyH(out);
        return out;
    }

    /** Whole blocks, then the zero-padded rest, as the former {@code AesGcm.absorb} did. */
    private void absorb(GCMMultiplier multiplier, int off, int len) {
        int end = off + len;
        for (; end - off >= 16; off += 16) {
            for (int i = 0; i < 16; i++) {
                out[i] ^= packet[off + i];
            }
            multiplier.multiplyH(out);
        }
        if (off < end) {
            for (int i = 0; off < end; i++) {
                out[i] ^= packet[off++];
            }
            multiplier.multiplyH(out);
        }
    }
}
