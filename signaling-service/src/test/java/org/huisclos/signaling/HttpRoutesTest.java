package org.huisclos.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Pages, assets and health over plain HTTP. */
class HttpRoutesTest {
    private static Harness harness;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        harness = new Harness(Duration.ofSeconds(20));
    }

    @AfterAll
    static void stop() throws Exception {
        harness.close();
    }

    private static HttpResponse<String> get(String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + harness.port + path))
                .timeout(Duration.ofSeconds(5)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void configListsNoOtherInstanceByDefaultAndTheCspOnlySelf() throws Exception {
        HttpResponse<String> response = get("/config");
        assertEquals(200, response.statusCode());
        assertEquals(new JsonObject().put("signalingUrls", new io.vertx.core.json.JsonArray()), new JsonObject(response.body()));
        assertTrue(response.headers().firstValue("Content-Security-Policy").orElse("").contains("connect-src 'self';"));
    }

    @Test
    void theCspAllowsTheWebSocketsOfTheConfiguredInstances() {
        String csp = SignalingServer.contentSecurityPolicy(java.util.List.of("http://a.example:8080", "https://b.example"));
        assertTrue(csp.contains("connect-src 'self' ws://a.example:8080/ws wss://b.example/ws;"), csp);
        assertTrue(csp.startsWith("default-src 'self';"), csp);
    }

    @Test
    void startPageIsHtml() throws Exception {
        HttpResponse<String> response = get("/");
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(response.body().contains("Huisclos"));
        assertEquals("no-referrer", response.headers().firstValue("Referrer-Policy").orElse(""));
    }

    @Test
    void roomPageIsHtmlForValidNames() throws Exception {
        for (String room : new String[] {"/demo", "/Team-Meeting_2.0", "/" + "a".repeat(64)}) {
            HttpResponse<String> response = get(room);
            assertEquals(200, response.statusCode(), room);
            assertTrue(response.body().contains("<script type=\"module\" src=\"/assets/room.js\">"), room);
        }
    }

    @Test
    void invalidRoomNamesAreNotFound() throws Exception {
        for (String path : new String[] {"/bad%20name", "/" + "a".repeat(65), "/a/b", "/caf%C3%A9"}) {
            HttpResponse<String> response = get(path);
            assertEquals(404, response.statusCode(), path);
            assertTrue(response.body().contains("<html"), path);
        }
    }

    @Test
    void assetsAreServed() throws Exception {
        HttpResponse<String> hooks = get("/assets/hooks.js");
        assertEquals(200, hooks.statusCode());
        assertTrue(hooks.headers().firstValue("Content-Type").orElse("").contains("javascript"));
        assertTrue(hooks.body().contains("window.huisclos"));
        assertEquals(200, get("/assets/style.css").statusCode());
        assertEquals(404, get("/assets/missing.js").statusCode());
    }

    /**
     * Browsers run a module script only when it comes with a JavaScript MIME type (and nosniff is
     * on): every module the pages load, and everything those import, is served as JavaScript.
     */
    @Test
    void everyModuleOfThePagesIsServedAsJavaScript() throws Exception {
        java.util.Deque<String> todo = new java.util.ArrayDeque<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        java.util.regex.Pattern script = java.util.regex.Pattern.compile("<script type=\"module\" src=\"/assets/([a-z0-9-]+\\.js)\">");
        java.util.regex.Pattern imports = java.util.regex.Pattern.compile("^import .* from '\\./([a-z0-9-]+\\.js)';$",
                java.util.regex.Pattern.MULTILINE);
        for (String page : new String[] {"/", "/check", "/demo"}) {
            java.util.regex.Matcher m = script.matcher(get(page).body());
            assertTrue(m.find(), page + " loads a module");
            todo.add(m.group(1));
        }
        while (!todo.isEmpty()) {
            String module = todo.poll();
            if (!seen.add(module)) {
                continue;
            }
            HttpResponse<String> js = get("/assets/" + module);
            assertEquals(200, js.statusCode(), module);
            assertTrue(js.headers().firstValue("Content-Type").orElse("").contains("javascript"), module);
            java.util.regex.Matcher m = imports.matcher(js.body());
            while (m.find()) {
                todo.add(m.group(1));
            }
        }
        assertTrue(seen.containsAll(java.util.List.of("room.js", "check.js", "start.js", "protocol.js", "media.js",
                "tiles.js", "moderation.js", "e2ee.js", "hooks.js")), seen.toString());
    }

    @Test
    void healthIsUp() throws Exception {
        HttpResponse<String> response = get("/health");
        assertEquals(200, response.statusCode());
        assertEquals("up", new JsonObject(response.body()).getString("status"));
    }
}
