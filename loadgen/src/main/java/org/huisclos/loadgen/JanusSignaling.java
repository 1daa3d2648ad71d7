package org.huisclos.loadgen;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The generator's client of the Janus HTTP API (REST transport, on 127.0.0.1 in the bench namespace): one
 * session, one plugin handle per peer connection. Asynchronous plugin answers arrive as events on the session's
 * long poll ({@code GET /janus/<session>}) and complete the request with the same transaction. A keepalive goes
 * every 25 s (the bench's Janus also has session timeouts off). Thread-safe.
 */
final class JanusSignaling implements AutoCloseable {
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final String base;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicLong transactions = new AtomicLong();
    private final Map<String, CompletableFuture<JsonObject>> pending = new ConcurrentHashMap<>();
    private final AtomicLong hangups = new AtomicLong();
    private volatile boolean closed;
    private long session;
    private Thread poller;

    JanusSignaling(int port) {
        this.base = "http://127.0.0.1:" + port + "/janus";
    }

    /** Whether the API answers {@code GET /janus/info}; false while Janus is starting. */
    boolean ready() {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/info"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Creates the session and starts its long poll and keepalive. */
    void open() throws Exception {
        session = data(post(base, new JsonObject().put("janus", "create"))).getLong("id");
        poller = new Thread(this::poll, "janus-poll");
        poller.setDaemon(true);
        poller.start();
    }

    /** A new handle on the VideoRoom plugin: one peer connection. */
    long attach() throws Exception {
        return data(post(base + "/" + session, new JsonObject().put("janus", "attach")
                .put("plugin", "janus.plugin.videoroom"))).getLong("id");
    }

    /**
     * A message to the plugin on {@code handle}; completes with the plugin's event for it (its
     * {@code plugindata.data}, plus {@code jsep} when there is one), or exceptionally on an error.
     */
    JsonObject message(long handle, JsonObject body, JsonObject jsep) throws Exception {
        JsonObject m = new JsonObject().put("janus", "message").put("body", body);
        if (jsep != null) {
            m.put("jsep", jsep);
        }
        String tx = "t" + transactions.incrementAndGet();
        CompletableFuture<JsonObject> event = new CompletableFuture<>();
        pending.put(tx, event);
        try {
            JsonObject r = post(base + "/" + session + "/" + handle, m.put("transaction", tx));
            if ("success".equals(r.getString("janus"))) { // a synchronous plugin answer
                event.complete(pluginEvent(r));
            }
            JsonObject e = event.get(REQUEST_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            String error = e.getString("error");
            if (error != null) {
                throw new IllegalStateException("Janus refused " + body.getString("request") + ": "
                        + e.getValue("error_code") + " " + error);
            }
            return e;
        } finally {
            pending.remove(tx);
        }
    }

    /** "Hangup" events: Janus closed a peer connection (ICE or DTLS failed, or it timed out). */
    long hangups() {
        return hangups.get();
    }

    private JsonObject post(String url, JsonObject body) throws Exception {
        if (!body.containsKey("transaction")) {
            body.put("transaction", "t" + transactions.incrementAndGet());
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(REQUEST_TIMEOUT)
                .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build();
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        JsonObject j = new JsonObject(r.body());
        if ("error".equals(j.getString("janus"))) {
            JsonObject e = j.getJsonObject("error", new JsonObject());
            throw new IllegalStateException("Janus API error on " + body.getString("janus") + ": " + e.getValue("code")
                    + " " + e.getString("reason"));
        }
        return j;
    }

    private static JsonObject data(JsonObject success) {
        return success.getJsonObject("data");
    }

    private static JsonObject pluginEvent(JsonObject event) {
        JsonObject plugindata = event.getJsonObject("plugindata", new JsonObject());
        JsonObject data = plugindata.getJsonObject("data", new JsonObject()).copy();
        if (event.containsKey("jsep")) {
            data.put("jsep", event.getJsonObject("jsep"));
        }
        return data;
    }

    private void poll() {
        long nextKeepalive = System.nanoTime() + TimeUnit.SECONDS.toNanos(25);
        while (!closed) {
            try {
                if (System.nanoTime() - nextKeepalive > 0) {
                    post(base + "/" + session, new JsonObject().put("janus", "keepalive"));
                    nextKeepalive = System.nanoTime() + TimeUnit.SECONDS.toNanos(25);
                }
                // Janus holds the request up to 30 s when nothing happens, then answers a keepalive.
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/" + session
                        + "?maxev=20")).timeout(Duration.ofSeconds(40)).build(), HttpResponse.BodyHandlers.ofString());
                String body = r.body().trim();
                if (body.startsWith("[")) {
                    JsonArray events = new JsonArray(body);
                    for (int i = 0; i < events.size(); i++) {
                        onEvent(events.getJsonObject(i));
                    }
                } else if (!body.isEmpty()) {
                    onEvent(new JsonObject(body));
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                if (!closed) {
                    sleepQuietly();
                }
            }
        }
    }

    private void onEvent(JsonObject e) {
        String kind = e.getString("janus", "");
        if ("hangup".equals(kind)) {
            hangups.incrementAndGet();
        }
        if (!"event".equals(kind)) {
            return;
        }
        CompletableFuture<JsonObject> f = pending.get(e.getString("transaction", ""));
        if (f != null) {
            f.complete(pluginEvent(e));
        }
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        if (session != 0) {
            try {
                post(base + "/" + session, new JsonObject().put("janus", "destroy"));
            } catch (Exception ignored) {
                // Janus is stopped right after anyway
            }
        }
        if (poller != null) {
            poller.interrupt();
        }
    }
}
