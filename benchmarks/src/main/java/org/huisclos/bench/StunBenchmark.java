package org.huisclos.bench;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.huisclos.media.stun.StunAddress;
import org.huisclos.media.stun.StunIntegrity;
import org.huisclos.media.stun.StunMessage;
import org.huisclos.media.stun.StunWriter;
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
 * An ICE connectivity check as the media node's {@code Demultiplexer.onStun} handles one: a browser's Binding
 * request (USERNAME "nodeUfrag:browserUfrag", PRIORITY, ICE-CONTROLLING, USE-CANDIDATE, MESSAGE-INTEGRITY,
 * FINGERPRINT; written at setup by the media node's own {@code StunWriter}).
 *
 * <ul>
 *   <li>{@code check}: demultiplex, parse, ufrag match, FINGERPRINT (CRC-32) and MESSAGE-INTEGRITY
 *       (HMAC-SHA1 with the node's password).</li>
 *   <li>{@code checkAndRespond}: {@code check} plus the Binding success response (XOR-MAPPED-ADDRESS,
 *       MESSAGE-INTEGRITY, FINGERPRINT).</li>
 * </ul>
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar StunBenchmark -prof gc}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class StunBenchmark {
    private final byte[] nodeUfrag = "hc4Fq9Zr".getBytes(StandardCharsets.US_ASCII);
    private final byte[] browserUfrag = "u7Kp".getBytes(StandardCharsets.US_ASCII);
    private final byte[] nodePassword = "Xq3vT8mNw2LbR6yHc9PzJ5sD".getBytes(StandardCharsets.US_ASCII);
    private final StunMessage request = new StunMessage();
    private final StunIntegrity integrity = new StunIntegrity();
    private final StunWriter writer = new StunWriter();
    private final StunAddress source = new StunAddress().set(new byte[] {(byte) 192, (byte) 168, 1, 23}, 54321);
    private final byte[] datagram = new byte[1500];
    private final byte[] response = new byte[1500];
    private int length;

    @Setup
    public void setUp() {
        byte[] transactionId = new byte[12];
        for (int i = 0; i < transactionId.length; i++) {
            transactionId[i] = (byte) (0x40 + i);
        }
        length = new StunWriter().writeControllingRequest(datagram, 0, transactionId, nodeUfrag, browserUfrag,
                nodePassword, 2_130_706_431L, 0x0123456789abcdefL, true);
        checkAndRespond();
    }

    @Benchmark
    public boolean check() {
        if (!StunMessage.looksLikeStun(datagram, 0, length)
                || !request.parse(datagram, 0, length)
                || !request.isBindingRequest()
                || !request.usernameMatchesLocalUfrag(nodeUfrag)
                || request.fingerprintOffset() < 0 || !request.verifyFingerprint()
                || request.messageIntegrityOffset() < 0 || !request.verifyIntegrity(integrity, nodePassword)) {
            throw new IllegalStateException("the Binding request must pass");
        }
        return true;
    }

    @Benchmark
    public int checkAndRespond() {
        check();
        return writer.writeBindingSuccess(response, 0, request, source, nodePassword);
    }
}
