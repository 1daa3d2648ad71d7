package org.huisclos.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Future;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** When no media node takes the participant, the client hears so and may try again. */
class MediaUnavailableTest {

    @Test
    void noNodeFromTheLocatorMeansMediaUnavailable() throws Exception {
        MediaNodeLocator none = roomKey -> Future.failedFuture("no node is serving");
        try (Harness harness = new Harness(Duration.ofSeconds(20), none); TestClient ada = harness.client()) {
            assertJoinFailsAndCanBeRetried(ada);
        }
    }

    @Test
    void aNodeThatDoesNotAnswerMeansMediaUnavailable() throws Exception {
        MediaNodeLocator gone = roomKey -> Future.succeededFuture("no-such-node");
        try (Harness harness = new Harness(Duration.ofSeconds(20), gone); TestClient ada = harness.client()) {
            assertJoinFailsAndCanBeRetried(ada);
        }
    }

    private static void assertJoinFailsAndCanBeRetried(TestClient client) {
        for (int attempt = 0; attempt < 2; attempt++) {
            client.sendText("{\"type\":\"join\",\"v\":1,\"room\":\"demo\",\"name\":\"Ada\",\"audio\":true,\"video\":true}");
            assertEquals("join", client.expectError("media-unavailable").getString("request"));
        }
        client.sendText("{\"type\":\"mute\",\"audio\":true,\"video\":true}");
        client.expectError("not-joined");
        client.assertAlive();
    }
}
