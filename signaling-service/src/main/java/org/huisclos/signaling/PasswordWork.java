package org.huisclos.signaling;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.util.concurrent.Callable;

/**
 * Argon2id hashing and verification ({@link Passwords}) on a small pool of their own, so that
 * slow hashing never stalls registry look-ups (those run on Vert.x's shared worker pool). The
 * work admitted is bounded: at most {@link #MAX_IN_FLIGHT} jobs running or waiting, of which at
 * most {@link #MAX_HASHING} hashes for {@code set-password}; beyond that a job is refused at once
 * with {@code busy} instead of queuing without end. So a flood of {@code set-password} (anyone who
 * opens a room moderates it) holds at most two of the slots that joins' password checks use.
 * Counters are confined to the signaling event loop (futures complete on it).
 */
final class PasswordWork implements AutoCloseable {
    /** Threads of the pool: at most this many Argon2id computations (19 MiB each) at a time. */
    static final int THREADS = 2;
    /** Jobs running or waiting, of any kind. */
    static final int MAX_IN_FLIGHT = 16;
    /** Of those, hashes of new passwords. */
    static final int MAX_HASHING = 2;

    private final WorkerExecutor executor;
    private int inFlight;
    private int hashing;

    PasswordWork(Vertx vertx) {
        this(vertx, THREADS);
    }

    PasswordWork(Vertx vertx, int threads) {
        // Named per instance: a shared executor of the same name would be shared between servers of one Vert.x.
        this.executor = vertx.createSharedWorkerExecutor("huisclos-passwords-" + System.identityHashCode(this), threads);
    }

    /** Whether {@code password} matches the stored hash; fails with {@code busy} when the pool is full. */
    Future<Boolean> verify(String password, String hash) {
        return run(() -> Passwords.verify(password, hash), false);
    }

    /** The hash of a new password; fails with {@code busy} when the pool is full or hashes enough already. */
    Future<String> hash(String password) {
        return run(() -> Passwords.hash(password), true);
    }

    /** Runs any job under the same bounds (tests). */
    <T> Future<T> run(Callable<T> job, boolean isHash) {
        if (inFlight >= MAX_IN_FLIGHT || (isHash && hashing >= MAX_HASHING)) {
            return Future.failedFuture(busy());
        }
        inFlight++;
        if (isHash) {
            hashing++;
        }
        return executor.executeBlocking(job, false).andThen(done -> {
            inFlight--;
            if (isHash) {
                hashing--;
            }
        });
    }

    static ProtocolError busy() {
        return new ProtocolError(ClientMessages.BUSY,
                "the server is busy checking passwords; try again in a moment", 1, "passwords");
    }

    @Override
    public void close() {
        executor.close();
    }
}
