package org.huisclos.signaling;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.huisclos.registry.RoomKeys;

/** A Vert.x instance with a fake media node and a signaling server on a free port. */
final class Harness implements AutoCloseable {
    final Vertx vertx = Vertx.vertx();
    final RoomKeys roomKeys = RoomKeys.random();
    final FakeMediaNode node;
    final SignalingServer server;
    final int port;

    Harness(Duration gracePeriod) throws Exception {
        this(gracePeriod, roomKey -> Future.succeededFuture(FakeMediaNode.NODE_ID));
    }

    Harness(Duration gracePeriod, MediaNodeLocator locator) throws Exception {
        this(gracePeriod, locator, s -> { });
    }

    /** {@code configure} sets the server up further before it starts. */
    Harness(Duration gracePeriod, MediaNodeLocator locator, java.util.function.Consumer<SignalingServer> configure)
            throws Exception {
        node = new FakeMediaNode(vertx);
        node.await();
        server = new SignalingServer(vertx, 0, "127.0.0.1", roomKeys, locator).gracePeriod(gracePeriod);
        configure.accept(server);
        port = server.start().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    TestClient client() throws Exception {
        return new TestClient(vertx, port);
    }

    @Override
    public void close() throws Exception {
        server.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
