package org.huisclos.media.dtls;

import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.huisclos.media.srtp.SrtpProfile;

/**
 * One endpoint's DTLS-SRTP association (RFC 5764) in either role. The I/O thread feeds received records with
 * {@link #offer}; the blocking BC handshake runs on a caller-supplied executor and yields the SRTP keys.
 *
 * <p>After the handshake the DTLS transport is kept: late handshake retransmissions from the peer (our final
 * flight was lost) are answered on the executor, and {@link #close()} sends close_notify. Application data
 * (e.g. SCTP for data channels) is not supported yet and is discarded.
 */
public final class DtlsSession {
    private final DtlsRole role;
    private final DtlsSrtpPolicy policy;
    private final QueueDatagramTransport transport;
    private final CompletableFuture<SrtpKeys> result = new CompletableFuture<>();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean draining = new AtomicBoolean();
    private volatile Executor executor;
    private volatile DTLSTransport dtls;
    private volatile boolean closed;

    /**
     * @param local             this node's certificate
     * @param remoteFingerprint the peer's {@code a=fingerprint:sha-256} value; the handshake fails unless the
     *                          peer's certificate matches it
     * @param sink              where outgoing records go
     * @param role              SERVER when the peer answered {@code a=setup:active} (browsers), else CLIENT
     */
    public DtlsSession(DtlsCertificate local, String remoteFingerprint, DatagramSink sink, DtlsRole role) {
        this(local, remoteFingerprint, sink, role, DtlsSrtpPolicy.DEFAULT_PROFILES,
                DtlsSrtpPolicy.DEFAULT_HANDSHAKE_TIMEOUT_MILLIS);
    }

    /** For tests and load tools: restrict the offered/accepted SRTP profiles or shorten the timeout. */
    DtlsSession(DtlsCertificate local, String remoteFingerprint, DatagramSink sink, DtlsRole role,
            List<SrtpProfile> profiles, int handshakeTimeoutMillis) {
        this.role = Objects.requireNonNull(role, "role");
        this.policy = new DtlsSrtpPolicy(local, remoteFingerprint, profiles, handshakeTimeoutMillis);
        this.transport = new QueueDatagramTransport(sink);
    }

    public DtlsRole role() {
        return role;
    }

    /**
     * Starts the handshake on {@code executor}, which it occupies for up to the handshake timeout (10 s).
     * The future fails with a {@link DtlsHandshakeException} on fingerprint mismatch, alert, timeout or close.
     * Later calls return the same future.
     */
    public CompletableFuture<SrtpKeys> start(Executor executor) {
        Objects.requireNonNull(executor, "executor");
        if (started.compareAndSet(false, true)) {
            this.executor = executor;
            try {
                executor.execute(this::handshake);
            } catch (RuntimeException e) { // e.g. RejectedExecutionException
                fail(e);
            }
        }
        return result;
    }

    /** Hands over one received DTLS datagram (first byte 20..63). Copies it; never blocks. */
    public void offer(byte[] buf, int off, int len) {
        if (transport.offer(buf, off, len) && dtls != null) {
            scheduleDrain();
        }
    }

    /** Datagrams dropped because the receive queue was full or the session closed. */
    public long droppedDatagrams() {
        return transport.droppedCount();
    }

    public boolean isClosed() {
        return closed;
    }

    /** Sends close_notify if the handshake completed, aborts it otherwise. Idempotent. */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        DTLSTransport established = dtls;
        if (established != null) {
            try {
                established.close(); // sends close_notify, then closes our transport
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        transport.close(); // wakes a handshake blocked in receive
        fail(new IOException("DTLS session closed"));
    }

    private void handshake() {
        try {
            DTLSTransport established = role == DtlsRole.SERVER ? accept() : connect();
            SrtpKeys keys = policy.keys();
            if (keys == null) {
                throw new IOException("handshake completed without exporting SRTP keys");
            }
            dtls = established;
            if (closed) { // close() raced with the last flight
                established.close();
                fail(new IOException("DTLS session closed"));
                return;
            }
            result.complete(keys);
            if (transport.hasPending()) {
                scheduleDrain();
            }
        } catch (Exception e) {
            // BC has already sent any fatal alert; make sure nothing else goes out or comes in.
            transport.close();
            closed = true;
            fail(e);
        }
    }

    private DTLSTransport accept() throws IOException {
        DTLSServerProtocol protocol = new DTLSServerProtocol();
        // ICE consent (STUN with MESSAGE-INTEGRITY) already proved the address, so a cookie round trip
        // (HelloVerifyRequest, RFC 6347 §4.2.1) would only add latency.
        protocol.setVerifyRequests(false);
        return protocol.accept(new SrtpTlsServer(policy), transport);
    }

    private DTLSTransport connect() throws IOException {
        return new DTLSClientProtocol().connect(new SrtpTlsClient(policy), transport);
    }

    private void fail(Throwable cause) {
        result.completeExceptionally(cause instanceof DtlsHandshakeException ? cause
                : new DtlsHandshakeException(role, cause));
    }

    private void scheduleDrain() {
        if (!closed && draining.compareAndSet(false, true)) {
            try {
                executor.execute(this::drain);
            } catch (RuntimeException e) {
                draining.set(false);
            }
        }
    }

    /**
     * Lets BC process records that arrive after the handshake: it re-sends our final flight when the peer
     * retransmits its own, and notices close_notify or fatal alerts. Short waits so the worker is not held.
     */
    private void drain() {
        byte[] buf = new byte[QueueDatagramTransport.RECEIVE_LIMIT];
        try {
            while (!closed && transport.hasPending()) {
                dtls.receive(buf, 0, buf.length, 1); // application data: discarded for now
            }
            if (transport.isClosed()) { // peer sent close_notify
                closed = true;
            }
        } catch (IOException e) {
            closed = true;
            transport.close();
        } finally {
            draining.set(false);
        }
        if (!closed && transport.hasPending()) { // a datagram arrived after the last check
            scheduleDrain();
        }
    }
}
