package org.huisclos.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.huisclos.launcher.TestCluster;

/**
 * A participant in headless Firefox ESR, driven through WebDriver BiDi, which Firefox speaks
 * itself (Debian has no geckodriver): JSON commands over a WebSocket to its remote agent.
 *
 * <p>Firefox runs inside a {@link TestNetwork} namespace, where it has a real interface to gather
 * ICE candidates on (on this machine's own network it gathers none on loopback). Its remote agent
 * listens on the namespace's loopback only, so a socat here forwards the same port on 127.0.0.1
 * into the namespace. The page is loaded from the namespace's host side
 * ({@code http://<hostAddress>:port}), which a pref makes a secure context (camera and Web Crypto
 * need one).
 */
public final class FirefoxParticipant extends BrowserParticipant {

    public static final Path FIREFOX = Path.of("/usr/bin/firefox-esr");
    public static final Path SOCAT = Path.of("/usr/bin/socat");
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

    private final TestNetwork network;
    private final Path profileDir;
    private final Process firefox;
    private final Process forwarder;
    private final WebSocket socket;
    private final String context;
    private final AtomicInteger nextId = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonObject>> pending = new ConcurrentHashMap<>();

    public FirefoxParticipant(String name, TestNetwork network) {
        super(name);
        requireExecutable(FIREFOX, "firefox-esr");
        requireExecutable(SOCAT, "socat");
        this.network = network;
        int port = TestCluster.freePorts(1)[0]; // free here; the namespace has ports of its own
        try {
            profileDir = Files.createTempDirectory("huisclos-firefox-" + name + "-");
            Files.writeString(profileDir.resolve("user.js"), prefs(network));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Process ff = null;
        Process fwd = null;
        try {
            Path log = profileDir.resolve("firefox.log");
            ff = new ProcessBuilder(network.inside(withoutRealtimePriority(List.of(FIREFOX.toString(), "--headless",
                    "--no-remote", "--profile", profileDir.toString(), "--remote-debugging-port", String.valueOf(port)))))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            awaitLog(ff, log, "WebDriver BiDi listening on");
            // The remote agent accepts only a Host header of 127.0.0.1:<its port>.
            fwd = network.forwardPort(port, profileDir.resolve("socat.log"));
            firefox = ff;
            forwarder = fwd;
            socket = connect(port);
            command("session.new", new JsonObject().put("capabilities", new JsonObject()));
            JsonObject tree = command("browsingContext.getTree", new JsonObject());
            context = tree.getJsonArray("contexts").getJsonObject(0).getString("context");
        } catch (RuntimeException | IOException e) {
            stop(ff, fwd);
            String log = tail(profileDir.resolve("firefox.log"));
            deleteTree(profileDir);
            throw new IllegalStateException("could not start Firefox for participant " + name + ": " + e.getMessage()
                    + "; Firefox's output ends: " + log, e);
        }
    }

    @Override
    public Kind kind() {
        return Kind.FIREFOX;
    }

    public TestNetwork network() {
        return network;
    }

    /** Prefs for a test profile: fake devices without prompts, media autoplay, no host-address obfuscation. */
    private static String prefs(TestNetwork network) {
        String[][] prefs = {
                {"media.navigator.streams.fake", "true"},
                {"media.navigator.permission.disabled", "true"},
                {"media.autoplay.default", "0"},
                {"media.autoplay.blocking_policy", "0"},
                {"media.peerconnection.ice.obfuscate_host_addresses", "false"},
                {"media.peerconnection.ice.default_address_only", "false"},
                {"dom.securecontext.allowlist", "\"" + network.hostAddress() + "\""},
                {"browser.shell.checkDefaultBrowser", "false"},
                {"app.update.enabled", "false"},
        };
        StringBuilder out = new StringBuilder();
        for (String[] p : prefs) {
            out.append("user_pref(\"").append(p[0]).append("\", ").append(p[1]).append(");\n");
        }
        return out.toString();
    }

    private static String tail(Path log) {
        try {
            String text = Files.readString(log, StandardCharsets.UTF_8).strip();
            return text.substring(Math.max(0, text.length() - 2000));
        } catch (IOException e) {
            return "(none)";
        }
    }

    private static void awaitLog(Process p, Path log, String text) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() - deadline < 0) {
            if (Files.exists(log) && Files.readString(log, StandardCharsets.UTF_8).contains(text)) {
                return;
            }
            if (!p.isAlive()) {
                throw new IllegalStateException("Firefox exited with " + p.exitValue() + ": "
                        + Files.readString(log, StandardCharsets.UTF_8).strip());
            }
            pause(100);
        }
        throw new IllegalStateException("Firefox's remote agent did not start within 60 s");
    }

    /**
     * Opens the one WebSocket of this participant's BiDi session. It waits for the forwarder to
     * listen with plain TCP connects, then makes a single WebSocket handshake: a second handshake
     * after a slow first one (a loaded machine) left Firefox answering neither.
     */
    private WebSocket connect(int port) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try (java.net.Socket probe = new java.net.Socket()) {
                probe.connect(new java.net.InetSocketAddress("127.0.0.1", port), 1000);
                break;
            } catch (IOException e) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("the forwarder to Firefox's port " + port + " did not listen within 30 s", e);
                }
                pause(100);
            }
        }
        URI uri = URI.create("ws://127.0.0.1:" + port + "/session");
        try {
            return HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(30))
                    .buildAsync(uri, new Listener()).get(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot open " + uri + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Collects text frames into messages and completes the command each answers. */
    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                JsonObject msg = new JsonObject(partial.toString());
                partial.setLength(0);
                Integer id = msg.getInteger("id");
                CompletableFuture<JsonObject> f = id == null ? null : pending.remove(id);
                if (f != null) {
                    f.complete(msg);
                }
            }
            ws.request(1);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            pending.values().forEach(f -> f.completeExceptionally(error));
        }
    }

    /** Sends one BiDi command and returns its result; an error reply throws with its message. */
    private JsonObject command(String method, JsonObject params) {
        int id = nextId.incrementAndGet();
        CompletableFuture<JsonObject> reply = new CompletableFuture<>();
        pending.put(id, reply);
        String text = new JsonObject().put("id", id).put("method", method).put("params", params).encode();
        try {
            socket.sendText(text, true).get(10, TimeUnit.SECONDS);
            JsonObject msg = reply.get(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if ("error".equals(msg.getString("type"))) {
                throw new IllegalStateException(name() + ": " + method + " failed: " + msg.getString("error")
                        + ": " + msg.getString("message"));
            }
            return msg.getJsonObject("result");
        } catch (ExecutionException | TimeoutException e) {
            pending.remove(id);
            throw new IllegalStateException(name() + ": no answer to " + method + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public FirefoxParticipant open(String url) {
        command("browsingContext.navigate", new JsonObject().put("context", context).put("url", url)
                .put("wait", "complete"));
        return this;
    }

    @Override
    public Object js(String script, Object... args) {
        return call("function() {\n" + script + "\n}", args);
    }

    @Override
    public Object jsAsync(String expression, Object... args) {
        return call("function() { return (\n" + expression + "\n); }", args);
    }

    /**
     * Calls {@code function} with {@code args} in the page; its (awaited) value comes back as JSON
     * text and is turned into what Selenium would give: Map, List, String, Boolean, Long, Double.
     */
    private Object call(String function, Object[] args) {
        String wrapper = "async function(argsJson) { const f = " + function + ";"
                + " const v = await f.apply(null, JSON.parse(argsJson));"
                + " return JSON.stringify(v === undefined ? null : v); }";
        JsonObject params = new JsonObject()
                .put("functionDeclaration", wrapper)
                .put("arguments", new JsonArray().add(new JsonObject().put("type", "string")
                        .put("value", Json.encode(List.of(args)))))
                .put("target", new JsonObject().put("context", context))
                .put("awaitPromise", true)
                .put("resultOwnership", "none");
        JsonObject result = command("script.callFunction", params);
        if ("exception".equals(result.getString("type"))) {
            JsonObject details = result.getJsonObject("exceptionDetails");
            throw new IllegalStateException(name() + ": script failed: "
                    + (details == null ? result.encode() : details.getString("text")));
        }
        String json = result.getJsonObject("result").getString("value");
        return plain(Json.decodeValue(json));
    }

    private static Object plain(Object v) {
        if (v instanceof JsonObject o) {
            Map<String, Object> m = new java.util.LinkedHashMap<>();
            o.forEach(e -> m.put(e.getKey(), plain(e.getValue())));
            return m;
        }
        if (v instanceof JsonArray a) {
            List<Object> l = new ArrayList<>();
            a.forEach(x -> l.add(plain(x)));
            return l;
        }
        if (v instanceof Integer i) {
            return i.longValue();
        }
        if (v instanceof java.math.BigInteger b) {
            return b.longValue();
        }
        if (v instanceof Float f) {
            return f.doubleValue();
        }
        return v;
    }

    @Override
    public void addInitScript(String source) {
        command("script.addPreloadScript", new JsonObject().put("functionDeclaration", "() => {\n" + source + "\n}"));
    }

    @Override
    public void reload() {
        command("browsingContext.reload", new JsonObject().put("context", context).put("wait", "complete"));
    }

    @Override
    public byte[] screenshot() {
        String data = command("browsingContext.captureScreenshot", new JsonObject().put("context", context))
                .getString("data");
        return Base64.getDecoder().decode(data);
    }

    @Override
    public void close() {
        try {
            command("browser.close", new JsonObject());
        } catch (RuntimeException e) {
            // it may already be gone; the processes are stopped below either way
        }
        socket.abort();
        stop(firefox, forwarder);
        deleteTree(profileDir);
    }

    /**
     * Stops what this participant started, by pid: Firefox (given a few seconds to quit after
     * browser.close) with its content processes, and the forwarder.
     */
    private static void stop(Process firefox, Process forwarder) {
        try {
            if (firefox != null && !firefox.waitFor(5, TimeUnit.SECONDS)) {
                TestNetwork.stop(firefox);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        TestNetwork.stop(forwarder);
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
