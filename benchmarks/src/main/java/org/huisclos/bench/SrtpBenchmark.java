package org.huisclos.bench;

import java.util.concurrent.TimeUnit;
import org.huisclos.media.srtp.SrtpProfile;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * SRTP protect and unprotect of one 1,200-byte RTP packet (12-byte header, 1,188-byte payload), Huisclos vs
 * jitsi-srtp, for both profiles.
 *
 * <p>protect: the same buffer is protected again and again with the sequence number incremented each time (its
 * content is then ciphertext, which costs the same to encrypt); the length is reset to 1,200 each op.
 *
 * <p>unprotect: a ring of {@value #RING} packets with consecutive sequence numbers is protected once at setup.
 * Each op copies the next one into a work buffer (1,216 bytes, the same copy for every implementation) and
 * unprotects it, so the replay check passes and the full per-packet work (replay check, ROC estimate,
 * authentication, decryption) is done. When the ring wraps, a fresh receiving context is made (otherwise the
 * replay window would reject the packets); that cost is amortised over {@value #RING} packets.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar Srtp -prof gc}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class SrtpBenchmark {
    static final int PACKET = 1200;
    static final int RING = 4096;
    static final int SSRC = 0x1234abcd;

    @Param({"AEAD_AES_128_GCM", "AES_CM_128_HMAC_SHA1_80"})
    public SrtpProfile profile;

    @Param({"HUISCLOS", "JITSI", "JITSI_JCE"})
    public Srtp.Impl impl;

    private byte[] key;
    private byte[] salt;

    private Srtp sender;
    private byte[] sendBuf;
    private int sendSeq;

    private Srtp receiver;
    private byte[][] ring;
    private int[] ringLen;
    private byte[] recvBuf;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        key = new byte[profile.keyLength];
        salt = new byte[profile.saltLength];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) (0x10 + i);
        }
        for (int i = 0; i < salt.length; i++) {
            salt[i] = (byte) (0xa0 + i);
        }
        sender = Srtp.create(impl, profile, true, key, salt, SSRC);
        sendBuf = new byte[PACKET + Srtp.SPARE];
        rtpPacket(sendBuf, 0);

        Srtp ringSender = Srtp.create(impl, profile, true, key, salt, SSRC);
        ring = new byte[RING][];
        ringLen = new int[RING];
        for (int i = 0; i < RING; i++) {
            ring[i] = new byte[PACKET + Srtp.SPARE];
            rtpPacket(ring[i], i);
            ringLen[i] = ringSender.protect(ring[i], 0, PACKET);
            if (ringLen[i] <= PACKET) {
                throw new IllegalStateException(impl + " " + profile + ": protect failed: " + ringLen[i]);
            }
        }
        recvBuf = new byte[PACKET + Srtp.SPARE];
        receiver = Srtp.create(impl, profile, false, key, salt, SSRC);
        next = 0;
    }

    /** A 1,200-byte RTP packet: V=2, PT 96, the given sequence number, timestamp, {@link #SSRC}, payload. */
    static void rtpPacket(byte[] b, int seq) {
        b[0] = (byte) 0x80;
        b[1] = 96;
        b[2] = (byte) (seq >>> 8);
        b[3] = (byte) seq;
        int ts = seq * 3000;
        b[4] = (byte) (ts >>> 24);
        b[5] = (byte) (ts >>> 16);
        b[6] = (byte) (ts >>> 8);
        b[7] = (byte) ts;
        b[8] = (byte) (SSRC >>> 24);
        b[9] = (byte) (SSRC >>> 16);
        b[10] = (byte) (SSRC >>> 8);
        b[11] = (byte) SSRC;
        for (int i = 12; i < PACKET; i++) {
            b[i] = (byte) (i * 31 + seq);
        }
    }

    @Benchmark
    public int protect() {
        int seq = ++sendSeq;
        sendBuf[2] = (byte) (seq >>> 8);
        sendBuf[3] = (byte) seq;
        int n = sender.protect(sendBuf, 0, PACKET);
        if (n < 0) {
            throw new IllegalStateException("protect failed: " + n);
        }
        return n;
    }

    @Benchmark
    public int unprotect() {
        int i = next;
        if (i == RING) {
            receiver = Srtp.create(impl, profile, false, key, salt, SSRC);
            i = 0;
        }
        next = i + 1;
        int len = ringLen[i];
        System.arraycopy(ring[i], 0, recvBuf, 0, len);
        int n = receiver.unprotect(recvBuf, 0, len);
        if (n != PACKET) {
            throw new IllegalStateException("unprotect failed: " + n);
        }
        return n;
    }
}
