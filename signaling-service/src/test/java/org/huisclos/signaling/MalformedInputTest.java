package org.huisclos.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every row of the protocol's error table: an error with the right code, and the socket goes on. */
class MalformedInputTest {
    private static Harness harness;

    @BeforeAll
    static void start() throws Exception {
        harness = new Harness(Duration.ofSeconds(20));
    }

    @AfterAll
    static void stop() throws Exception {
        harness.close();
    }

    static Stream<Arguments> malformedFrames() {
        String longRoom = "r".repeat(65);
        String longName = "n".repeat(65);
        return Stream.of(
                Arguments.of("not json", "not json at all", "bad-json"),
                Arguments.of("json array", "[1,2]", "bad-json"),
                Arguments.of("json string", "\"join\"", "bad-json"),
                Arguments.of("json null", "null", "bad-json"),
                Arguments.of("no type", "{}", "bad-message"),
                Arguments.of("type not a string", "{\"type\":3}", "bad-message"),
                Arguments.of("unknown type", "{\"type\":\"dance\"}", "unknown-type"),
                Arguments.of("join without v", joinWithout("v"), "bad-message"),
                Arguments.of("join v=2", joinWith("v", 2), "unsupported-version"),
                Arguments.of("join v as string", joinWith("v", "1"), "bad-message"),
                Arguments.of("join without room", joinWithout("room"), "bad-message"),
                Arguments.of("join room not a string", joinWith("room", 5), "bad-message"),
                Arguments.of("join room with space", joinWith("room", "bad room"), "bad-room"),
                Arguments.of("join room empty", joinWith("room", ""), "bad-room"),
                Arguments.of("join room too long", joinWith("room", longRoom), "bad-room"),
                Arguments.of("join without name", joinWithout("name"), "bad-message"),
                Arguments.of("join name too long", joinWith("name", longName), "bad-name"),
                Arguments.of("join name empty", joinWith("name", ""), "bad-name"),
                Arguments.of("join name with control", joinWith("name", "Ada\u0007"), "bad-name"),
                Arguments.of("join audio not a bool", joinWith("audio", "yes"), "bad-message"),
                Arguments.of("join without video", joinWithout("video"), "bad-message"),
                Arguments.of("answer before join", "{\"type\":\"answer\",\"version\":1,\"sdp\":\"v=0\"}", "not-joined"),
                Arguments.of("mute before join", "{\"type\":\"mute\",\"audio\":true,\"video\":true}", "not-joined"),
                Arguments.of("leave before join", "{\"type\":\"leave\"}", "not-joined"),
                Arguments.of("answer version not a number", "{\"type\":\"answer\",\"version\":\"1\",\"sdp\":\"v=0\"}",
                        "bad-message"),
                Arguments.of("answer version fractional", "{\"type\":\"answer\",\"version\":1.5,\"sdp\":\"v=0\"}",
                        "bad-message"),
                Arguments.of("answer without sdp", "{\"type\":\"answer\",\"version\":1}", "bad-message"),
                Arguments.of("mute without video", "{\"type\":\"mute\",\"audio\":true}", "bad-message"),
                Arguments.of("resume without token", "{\"type\":\"resume\",\"participant\":\"p00\"}", "bad-message"),
                Arguments.of("resume unknown participant", "{\"type\":\"resume\",\"participant\":\"p0\",\"token\":\"x\"}",
                        "resume-failed"),
                Arguments.of("oversize frame", "{\"type\":\"ping\",\"pad\":\"" + "x".repeat(70 * 1024) + "\"}",
                        "too-large"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedFrames")
    void malformedFrameGetsAnErrorAndTheSocketStaysUsable(String what, String frame, String code) throws Exception {
        try (TestClient client = harness.client()) {
            client.sendText(frame);
            JsonObject error = client.expectError(code);
            assertEquals(String.class, error.getValue("message").getClass());
            client.assertAlive();
        }
    }

    @Test
    void malformedFramesDoNotDisturbAMeetingInProgress() throws Exception {
        try (TestClient ada = harness.client(); TestClient grace = harness.client()) {
            String adaId = ada.join("steady", "Ada").getString("participant");
            grace.join("steady", "Grace");
            ada.sendText("{");
            ada.expectError("bad-json");
            ada.sendText("{\"type\":\"mute\",\"audio\":\"off\",\"video\":true}");
            ada.expectError("bad-message");
            ada.send(new JsonObject().put("type", "mute").put("audio", false).put("video", false));
            JsonObject muted = grace.expect("participant",
                    m -> adaId.equals(m.getString("participant")) && !m.getBoolean("audio"));
            assertEquals(false, muted.getBoolean("video"));
        }
    }

    @Test
    void binaryFramesAreRefusedAsNotJson() throws Exception {
        try (TestClient client = harness.client()) {
            client.sendBinary(new byte[] {1, 2, 3});
            client.expectError("bad-json");
            client.assertAlive();
        }
    }

    private static JsonObject join() {
        return new JsonObject().put("type", "join").put("v", 1).put("room", "demo").put("name", "Ada")
                .put("audio", true).put("video", true);
    }

    /** A valid join with one field broken. */
    private static String joinWith(String field, Object value) {
        return join().put(field, value).encode();
    }

    private static String joinWithout(String field) {
        JsonObject join = join();
        join.remove(field);
        return join.encode();
    }
}
