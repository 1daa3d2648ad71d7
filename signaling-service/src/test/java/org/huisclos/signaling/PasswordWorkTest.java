package org.huisclos.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Password work is bounded and runs on its own pool: saturating it refuses more at once and stalls nothing else. */
class PasswordWorkTest {

    private static <T> T on(Context context, Supplier<T> action) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        context.runOnContext(v -> result.complete(action.get()));
        return result.get(5, TimeUnit.SECONDS);
    }

    @Test
    void aSaturatedPoolRefusesWithBusyWhileTheSharedWorkerPoolStaysFree() throws Exception {
        Vertx vertx = Vertx.vertx();
        CountDownLatch release = new CountDownLatch(1);
        try (PasswordWork work = new PasswordWork(vertx)) {
            Context context = vertx.getOrCreateContext();
            List<Future<Boolean>> held = new ArrayList<>();
            // Hashes first: at most MAX_HASHING of them are admitted.
            for (int i = 0; i < PasswordWork.MAX_HASHING; i++) {
                held.add(on(context, () -> work.run(() -> release.await(10, TimeUnit.SECONDS), true)));
            }
            Future<Boolean> oneHashTooMany = on(context, () -> work.run(() -> true, true));
            assertTrue(oneHashTooMany.failed(), "refused at once, not queued");
            assertEquals(ClientMessages.BUSY, ((ProtocolError) oneHashTooMany.cause()).code());
            // Verifications fill the rest.
            for (int i = PasswordWork.MAX_HASHING; i < PasswordWork.MAX_IN_FLIGHT; i++) {
                held.add(on(context, () -> work.run(() -> release.await(10, TimeUnit.SECONDS), false)));
            }
            Future<Boolean> oneTooMany = on(context, () -> work.run(() -> true, false));
            assertTrue(oneTooMany.failed(), "refused at once, not queued");
            assertEquals(ClientMessages.BUSY, ((ProtocolError) oneTooMany.cause()).code());

            // Registry look-ups run on Vert.x's shared worker pool: not stalled by the password pool.
            String lookup = vertx.executeBlocking(() -> "registry answered", false)
                    .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertEquals("registry answered", lookup);

            release.countDown();
            for (Future<Boolean> f : held) {
                assertTrue(f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
            }
            TestClient.await("the pool takes work again", () -> {
                try {
                    return on(context, () -> work.run(() -> true, true)).toCompletionStage().toCompletableFuture()
                            .get(5, TimeUnit.SECONDS);
                } catch (Exception e) {
                    return false; // its counters are freed on the event loop just after the results
                }
            });
        } finally {
            release.countDown();
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
