package org.huisclos.loadgen;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.huisclos.contract.Addresses;
import org.huisclos.contract.MediaRequest;
import org.huisclos.media.MediaNode;
import org.huisclos.media.MediaNodeConfig;

/**
 * The process under test, started by the bench in a JVM of its own: either a Huisclos media node
 * ({@code sfu}) or the plain UDP relay ({@code relay}, the floor). Signaling reaches it over one TCP
 * control connection on 127.0.0.1 carrying JSON lines (the generator's stand-in for the event bus):
 * <pre>
 *   → {"id":1,"op":"request","participant":"p","body":{MediaRequest}}   (also listens to p's messages)
 *   ← {"id":1,"ok":true} | {"id":1,"ok":false,"error":"..."}
 *   ← {"participant":"p","message":{offer...}}                        (what the node sends p)
 *   → {"id":2,"op":"stats"}  ← {"id":2,"ok":true,"packetsOut":..,"packetsIn":..,"pid":..}
 *        (an SFU adds "drops", "dropsByReason", "dtlsFailures", "consentExpirations", "participants", "rooms", "streams")
 *   → {"id":4,"op":"gc"}     ← {"id":4,"ok":true,"heapUsed":bytes,"nonHeapUsed":bytes,"liveBytes":bytes,..}
 *                                                                          (after full GCs; see gc below)
 *   → {"id":3,"op":"route","from":port,"to":[ports]}                   (relay only)
 * </pre>
 * It prints {@code CONTROL <port> MEDIA <udp port>} on stdout once it serves. Nothing of this is on the
 * node's packet path: the node runs unchanged.
 */
public final class NodeMain {
    public static final String NODE_ID = "bench";

    private NodeMain() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "sfu";
        Server server = "relay".equals(mode) ? Server.relay(PlainRelay.open(0, 0, 0)) : Server.sfu();
        System.out.println("CONTROL " + server.controlPort() + " MEDIA " + server.mediaPort());
        System.out.flush();
        server.serve();
    }

    /** The control server around an SFU or a relay; usable in-process (tests). */
    public static final class Server implements AutoCloseable {
        private final Vertx vertx;
        private final MediaNode node;
        private final PlainRelay relay;
        private final ServerSocket control;

        private Server(Vertx vertx, MediaNode node, PlainRelay relay) throws IOException {
            this.vertx = vertx;
            this.node = node;
            this.relay = relay;
            this.control = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
        }

        public static Server sfu() throws Exception {
            Vertx vertx = Vertx.vertx();
            MediaNode node = new MediaNode(new MediaNodeConfig(NODE_ID, "127.0.0.1", 0, -1, "127.0.0.1", 100_000,
                    2_000_000, false));
            vertx.deployVerticle(node, new DeploymentOptions()).toCompletionStage().toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
            return new Server(vertx, node, null);
        }

        public static Server relay(PlainRelay relay) throws IOException {
            return new Server(null, null, relay);
        }

        public int controlPort() {
            return control.getLocalPort();
        }

        public int mediaPort() {
            return node != null ? node.udpPort() : relay.port();
        }

        /** Serves control connections one after the other until the socket closes. */
        public void serve() {
            while (!control.isClosed()) {
                try (Socket s = control.accept()) {
                    s.setTcpNoDelay(true);
                    handle(s);
                } catch (IOException e) {
                    // closed, or the generator went away: wait for the next one
                }
            }
        }

        public Thread serveInBackground() {
            Thread t = new Thread(this::serve, "bench-control");
            t.setDaemon(true);
            t.start();
            return t;
        }

        private void handle(Socket s) throws IOException {
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            OutputStream raw = s.getOutputStream();
            PrintStream out = new PrintStream(raw, false, StandardCharsets.UTF_8);
            Map<String, MessageConsumer<JsonObject>> listening = new ConcurrentHashMap<>();
            try {
                String line;
                while ((line = in.readLine()) != null) {
                    JsonObject cmd = new JsonObject(line);
                    long id = cmd.getLong("id", 0L);
                    switch (cmd.getString("op", "")) {
                        case "request" -> request(cmd, id, out, listening);
                        case "stats" -> write(out, stats(id));
                        case "gc" -> write(out, gc(id));
                        case "route" -> {
                            JsonArray to = cmd.getJsonArray("to");
                            int[] ports = new int[to.size()];
                            for (int i = 0; i < ports.length; i++) {
                                ports[i] = to.getInteger(i);
                            }
                            relay.route(cmd.getInteger("from"), ports);
                            write(out, new JsonObject().put("id", id).put("ok", true));
                        }
                        default -> write(out, new JsonObject().put("id", id).put("ok", false).put("error", "unknown op"));
                    }
                }
            } finally {
                listening.values().forEach(MessageConsumer::unregister);
            }
        }

        private JsonObject stats(long id) {
            JsonObject r = new JsonObject().put("id", id).put("ok", true)
                    .put("packetsOut", node != null ? node.counters().packetsOut() : relay.packetsOut())
                    .put("packetsIn", node != null ? node.counters().packetsIn() : relay.packetsIn())
                    .put("pid", ProcessHandle.current().pid());
            if (node != null) {
                JsonObject byReason = new JsonObject();
                for (org.huisclos.media.transport.DropReason reason : org.huisclos.media.transport.DropReason.values()) {
                    long n = node.drops().count(reason);
                    if (n > 0) {
                        byReason.put(reason.label, n);
                    }
                }
                r.put("drops", node.drops().total()).put("dropsByReason", byReason).put("dtlsFailures", node.dtlsFailures())
                        .put("consentExpirations", node.consentExpirations());
                try {
                    int[] load = node.load().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
                    r.put("participants", load[0]).put("rooms", load[1]).put("streams", load[2]);
                } catch (Exception e) {
                    r.put("loadError", e.toString());
                }
            }
            return r;
        }

        /**
         * Full collections (System.gc(), three times, 100 ms apart), then the heap in use as the JVM counts it
         * ("heapUsed": G1 counts whole regions for large arrays, so it moves by megabytes with placement) and
         * the live objects themselves ("liveBytes", "liveObjects", "classes": bytes per class of 16 kB or more),
         * from the class histogram of jcmd's GC.class_histogram, run in-process (its own full GC; no attach).
         */
        private static JsonObject gc(long id) {
            for (int i = 0; i < 3; i++) {
                System.gc();
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            java.lang.management.MemoryMXBean memory = java.lang.management.ManagementFactory.getMemoryMXBean();
            JsonObject r = new JsonObject().put("id", id).put("ok", true)
                    .put("heapUsed", memory.getHeapMemoryUsage().getUsed())
                    .put("nonHeapUsed", memory.getNonHeapMemoryUsage().getUsed());
            try {
                String histogram = (String) java.lang.management.ManagementFactory.getPlatformMBeanServer().invoke(
                        new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                        new Object[] {new String[0]}, new String[] {String[].class.getName()});
                JsonObject classes = new JsonObject();
                for (String line : histogram.split("\n")) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length >= 4 && f[0].endsWith(":") && Long.parseLong(f[2]) >= 16384) {
                        classes.put(f[3], Long.parseLong(f[2]));
                    } else if (f.length == 3 && f[0].equals("Total")) {
                        r.put("liveObjects", Long.parseLong(f[1])).put("liveBytes", Long.parseLong(f[2]));
                    }
                }
                r.put("classes", classes);
            } catch (Exception e) {
                r.put("histogramError", e.toString());
            }
            return r;
        }

        private void request(JsonObject cmd, long id, PrintStream out, Map<String, MessageConsumer<JsonObject>> listening) {
            String participant = cmd.getString("participant");
            if (participant != null && !listening.containsKey(participant)) {
                MessageConsumer<JsonObject> c = vertx.eventBus().consumer(Addresses.participant(participant),
                        m -> write(out, new JsonObject().put("participant", participant).put("message", m.body())));
                listening.put(participant, c);
                try {
                    c.completion().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    write(out, new JsonObject().put("id", id).put("ok", false).put("error", e.toString()));
                    return;
                }
            }
            JsonObject body = cmd.getJsonObject("body");
            vertx.eventBus().<JsonObject>request(Addresses.mediaNode(NODE_ID), body,
                    new DeliveryOptions().setSendTimeout(MediaRequest.TIMEOUT_MS))
                    .onComplete(r -> {
                        if (participant != null && MediaRequest.RELEASE.equals(body.getString(MediaRequest.ACTION))) {
                            // The participant is gone, as signaling forgets it: no consumer left behind (the soak).
                            MessageConsumer<JsonObject> c = listening.remove(participant);
                            if (c != null) {
                                c.unregister();
                            }
                        }
                    })
                    .onSuccess(r -> write(out, new JsonObject().put("id", id).put("ok", true)))
                    .onFailure(e -> write(out, new JsonObject().put("id", id).put("ok", false).put("error", e.getMessage())));
        }

        private static void write(PrintStream out, JsonObject message) {
            synchronized (out) {
                out.print(message.encode());
                out.print('\n');
                out.flush();
            }
        }

        @Override
        public void close() throws IOException {
            control.close();
            if (relay != null) {
                relay.close();
            }
            if (vertx != null) {
                try {
                    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
                } catch (Exception ignored) {
                    // closing anyway
                }
            }
        }
    }

    static InetSocketAddress loopback(int port) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }
}
