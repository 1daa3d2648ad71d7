package org.huisclos.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A browser stand-in: one WebSocket to the server, every received message kept in order. */
final class TestClient implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(5);

    private final WebSocketClient client;
    private final WebSocket socket;
    private final LinkedBlockingQueue<JsonObject> inbox = new LinkedBlockingQueue<>();
    /** Everything received so far, including what {@link #expect} skipped. */
    final List<JsonObject> received = new CopyOnWriteArrayList<>();
    /** The close code the server sent, once the socket closed (null while open). */
    volatile Short closeCode;
    volatile boolean closedByPeer;

    TestClient(Vertx vertx, int port) throws Exception {
        this(vertx, port, null);
    }

    /** As if through a proxy that says the client is {@code forwardedFor} (X-Forwarded-For); null: none. */
    TestClient(Vertx vertx, int port, String forwardedFor) throws Exception {
        client = vertx.createWebSocketClient(new WebSocketClientOptions()
                .setMaxFrameSize(1 << 20).setMaxMessageSize(1 << 20));
        io.vertx.core.http.WebSocketConnectOptions options = new io.vertx.core.http.WebSocketConnectOptions()
                .setPort(port).setHost("localhost").setURI("/ws");
        if (forwardedFor != null) {
            options.addHeader("X-Forwarded-For", forwardedFor);
        }
        socket = client.connect(options).toCompletionStage().toCompletableFuture()
                .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        socket.textMessageHandler(text -> {
            JsonObject message = new JsonObject(text);
            received.add(message);
            inbox.add(message);
        });
        socket.closeHandler(v -> {
            closeCode = socket.closeStatusCode();
            closedByPeer = true;
        });
    }

    void send(JsonObject message) {
        sendText(message.encode());
    }

    void sendText(String text) {
        socket.writeTextMessage(text);
    }

    void sendBinary(byte[] bytes) {
        socket.writeBinaryMessage(io.vertx.core.buffer.Buffer.buffer(bytes));
    }

    JsonObject join(String room, String name) {
        send(new JsonObject().put("type", "join").put("v", 1).put("room", room).put("name", name)
                .put("audio", true).put("video", true));
        return expect("joined");
    }

    /** The next message of that type; messages of other types before it are skipped. */
    JsonObject expect(String type) {
        return expect(type, m -> true);
    }

    JsonObject expect(String type, Predicate<JsonObject> also) {
        return expect(type, also, WAIT);
    }

    /** Like {@link #expect(String, Predicate)}; the type "joined-or-error" takes either. */
    JsonObject expect(String type, Predicate<JsonObject> also, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                JsonObject message = left > 0 ? inbox.poll(left, TimeUnit.NANOSECONDS) : null;
                if (message == null) {
                    return fail("no '" + type + "' message within " + wait + "; received " + received);
                }
                boolean typeMatches = type.equals(message.getString("type")) || ("joined-or-error".equals(type)
                        && ("joined".equals(message.getString("type")) || "error".equals(message.getString("type"))));
                if (typeMatches && also.test(message)) {
                    return message;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    JsonObject expectError(String code) {
        JsonObject error = expect("error");
        assertEquals(code, error.getString("code"), () -> "error " + error);
        return error;
    }

    /** A ping answered by a pong: the socket still works, and all earlier replies are in. */
    void assertAlive() {
        send(new JsonObject().put("type", "ping"));
        expect("pong");
    }

    void drain() {
        inbox.clear();
    }

    @Override
    public void close() throws Exception {
        socket.close().toCompletionStage().toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        client.close();
    }

    static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting until " + what);
            }
            Thread.sleep(10); // polling step, bounded by the deadline
        }
    }
}
