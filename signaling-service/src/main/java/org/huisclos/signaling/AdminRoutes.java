package org.huisclos.signaling;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** {@code POST /admin/drain?node=<id>} (docs/cluster-protocol.md, "Draining a media node"). */
final class AdminRoutes {
    private static final System.Logger LOG = System.getLogger(AdminRoutes.class.getName());

    private AdminRoutes() {
    }

    /** Asks a media node to drain (docs/cluster-protocol.md); only with the configured admin token. */
    static void drain(RoutingContext ctx, Vertx vertx, byte[] adminToken, Runnable notFound) {
        if (adminToken == null) {
            notFound.run();
            return;
        }
        String auth = ctx.request().getHeader("Authorization");
        byte[] given = auth != null && auth.startsWith("Bearer ")
                ? auth.substring(7).trim().getBytes(java.nio.charset.StandardCharsets.UTF_8) : new byte[0];
        if (!java.security.MessageDigest.isEqual(adminToken, given)) {
            ctx.response().setStatusCode(401).putHeader("Content-Type", "application/json")
                    .end(new JsonObject().put("error", "a valid admin token is needed").encode());
            return;
        }
        String node = ctx.request().getParam("node");
        if (node == null || !node.matches("[A-Za-z0-9_.-]{1,64}")) {
            ctx.response().setStatusCode(400).putHeader("Content-Type", "application/json")
                    .end(new JsonObject().put("error", "give the media node id as ?node=").encode());
            return;
        }
        vertx.eventBus().request(org.huisclos.contract.Addresses.mediaAdmin(node),
                        org.huisclos.contract.MediaCodec.drain(),
                        new io.vertx.core.eventbus.DeliveryOptions().setSendTimeout(5000))
                .onSuccess(reply -> {
                    LOG.log(System.Logger.Level.INFO, "admin drain of media node {0} requested", node);
                    ctx.response().setStatusCode(202).putHeader("Content-Type", "application/json")
                            .end(new JsonObject().put("draining", node)
                                    .put("participants", drained(reply.body())).encode());
                })
                .onFailure(e -> ctx.response().setStatusCode(404).putHeader("Content-Type", "application/json")
                        .end(new JsonObject().put("error", "no media node of that id answered").encode()));
    }

    /** The participants a drained node had, from its reply; -1 when the reply does not say. */
    private static int drained(Object reply) {
        try {
            return org.huisclos.contract.MediaCodec.decodeDrainReply(reply);
        } catch (org.huisclos.contract.BadMessage bad) {
            return -1;
        }
    }
}
