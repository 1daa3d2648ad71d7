package org.huisclos.loadgen;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/** The generator's end of {@link NodeMain}'s control connection. Thread-safe. */
public final class NodeClient implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, CompletableFuture<JsonObject>> pending = new ConcurrentHashMap<>();
    private final Map<String, Consumer<JsonObject>> participants = new ConcurrentHashMap<>();

    public NodeClient(int controlPort) throws IOException {
        socket = new Socket(java.net.InetAddress.getLoopbackAddress(), controlPort);
        socket.setTcpNoDelay(true);
        out = socket.getOutputStream();
        Thread reader = new Thread(this::read, "node-control");
        reader.setDaemon(true);
        reader.start();
    }

    /** Messages the node sends {@code participant} (offers) go to {@code handler}, on the reader thread. */
    public void listen(String participant, Consumer<JsonObject> handler) {
        participants.put(participant, handler);
    }

    /** No more messages for {@code participant} (it left). */
    public void unlisten(String participant) {
        participants.remove(participant);
    }

    /** A MediaRequest to the node on behalf of {@code participant}. */
    public CompletableFuture<JsonObject> request(String participant, JsonObject body) {
        return send(new JsonObject().put("op", "request").put("participant", participant).put("body", body));
    }

    public JsonObject stats() {
        return await(send(new JsonObject().put("op", "stats")));
    }

    /** Full collections in the node, then its heap in use ("heapUsed", "nonHeapUsed", bytes). */
    public JsonObject gc() {
        return await(send(new JsonObject().put("op", "gc")));
    }

    public void route(int from, int... to) {
        JsonArray list = new JsonArray();
        for (int p : to) {
            list.add(p);
        }
        await(send(new JsonObject().put("op", "route").put("from", from).put("to", list)));
    }

    static JsonObject await(CompletableFuture<JsonObject> f) {
        try {
            return f.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("control request failed: " + e, e);
        }
    }

    private CompletableFuture<JsonObject> send(JsonObject cmd) {
        long id = ids.incrementAndGet();
        CompletableFuture<JsonObject> f = new CompletableFuture<>();
        pending.put(id, f);
        byte[] line = (cmd.put("id", id).encode() + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            synchronized (out) {
                out.write(line);
                out.flush();
            }
        } catch (IOException e) {
            pending.remove(id);
            f.completeExceptionally(e);
        }
        return f;
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                JsonObject m = new JsonObject(line);
                String participant = m.getString("participant");
                if (participant != null && m.containsKey("message")) {
                    Consumer<JsonObject> h = participants.get(participant);
                    if (h != null) {
                        h.accept(m.getJsonObject("message"));
                    }
                    continue;
                }
                CompletableFuture<JsonObject> f = pending.remove(m.getLong("id", -1L));
                if (f == null) {
                    continue;
                }
                if (m.getBoolean("ok", false)) {
                    f.complete(m);
                } else {
                    f.completeExceptionally(new IllegalStateException(m.getString("error")));
                }
            }
        } catch (IOException e) {
            // closed
        }
        pending.values().forEach(f -> f.completeExceptionally(new IOException("control connection closed")));
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
