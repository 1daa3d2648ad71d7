package org.huisclos.media;

import io.vertx.core.Context;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.huisclos.media.dtls.DtlsCertificate;
import org.huisclos.media.dtls.DtlsRole;
import org.huisclos.media.dtls.DtlsSession;
import org.huisclos.media.dtls.SrtpKeys;
import org.huisclos.media.forward.Endpoint;
import org.huisclos.media.srtp.SrtpContext;
import org.huisclos.media.transport.SendBuffer;
import org.huisclos.media.transport.Path;

/**
 * Runs each endpoint's DTLS handshake (the node is always the DTLS server towards browsers) and
 * turns its keys into the endpoint's SRTP contexts. Records that arrive before the browser's
 * answer told us its fingerprint are kept and replayed once the session exists.
 */
final class Handshakes {
    private static final System.Logger LOG = System.getLogger(Handshakes.class.getName());

    private final DtlsCertificate certificate;
    private final Executor executor;
    private final Context context;
    private final AtomicInteger failures;
    private Consumer<Endpoint> onConnected = e -> { };
    private java.util.function.BiConsumer<Endpoint, String> onFailed = (e, reason) -> { };

    Handshakes(DtlsCertificate certificate, Executor executor, Context context, AtomicInteger failures) {
        this.certificate = certificate;
        this.executor = executor;
        this.context = context;
        this.failures = failures;
    }

    void onConnected(Consumer<Endpoint> callback) {
        this.onConnected = callback;
    }

    /** Called on the control thread when a handshake fails, with a reason fit for the participant. */
    void onFailed(java.util.function.BiConsumer<Endpoint, String> callback) {
        this.onFailed = callback;
    }

    /** On an I/O thread (UDP or TCP): a DTLS record from a checked path of {@code e}. */
    void onRecord(Endpoint e, byte[] buf, int off, int len) {
        DtlsSession session = e.dtls;
        if (session != null) {
            session.offer(buf, off, len);
        } else {
            e.keepEarlyDtls(buf, off, len);
        }
    }

    /** On the control thread, when the answer gave the browser's certificate fingerprint. */
    void start(Endpoint e, String remoteFingerprint) {
        start(e, remoteFingerprint, DtlsRole.SERVER);
    }

    /** A relay link's handshake: the node with the smaller id is the client (org.huisclos.media.relay). */
    void start(Endpoint e, String remoteFingerprint, DtlsRole role) {
        SendBuffer out = new SendBuffer();
        DtlsSession session = new DtlsSession(certificate, remoteFingerprint, (buf, off, len) -> {
            Path to = e.selected; // UDP or ICE-TCP: DTLS records go where the ICE check succeeded
            if (to != null && len <= SendBuffer.SIZE) {
                synchronized (out) {
                    System.arraycopy(buf, off, out.bytes, 0, len);
                    to.send(out, len);
                }
            }
        }, role);
        e.dtls = session;
        for (byte[] early : e.takeEarlyDtls()) {
            session.offer(early, 0, early.length);
        }
        session.start(executor).whenComplete((keys, error) -> {
            if (error == null && !e.closed) {
                // Keys go in on the handshake thread, at once: the browser sends media as soon as its
                // side completes, which is right after ours, and nothing it sends must find us keyless.
                installKeys(e, keys);
            }
            context.runOnContext(v -> {
                if (e.closed) {
                    return;
                }
                if (error != null) {
                    failures.incrementAndGet();
                    String reason = rootMessage(error);
                    LOG.log(System.Logger.Level.INFO, "DTLS handshake failed: " + reason);
                    onFailed.accept(e, reason);
                    return;
                }
                onConnected.accept(e);
            });
        });
    }

    private static void installKeys(Endpoint e, SrtpKeys keys) {
        e.receiveWith(new SrtpContext(keys.profile(), keys.remoteKey(), keys.remoteSalt()));
        synchronized (e.outboundLock) {
            e.outbound = new SrtpContext(keys.profile(), keys.localKey(), keys.localSalt());
        }
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
