package org.huisclos.media;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;

/** A {@link MediaNode} deployed on a Vert.x of its own for one test; closing undeploys it and closes the Vert.x. */
final class DeployedNode implements AutoCloseable {
    final Vertx vertx = Vertx.vertx();
    final MediaNode node;
    private final String deployment;

    DeployedNode(MediaNodeConfig config) throws Exception {
        node = new MediaNode(config);
        deployment = await(vertx.deployVerticle(node));
    }

    @Override
    public void close() throws Exception {
        try {
            await(vertx.undeploy(deployment));
        } finally {
            await(vertx.close());
        }
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
