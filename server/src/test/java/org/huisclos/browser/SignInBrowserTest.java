package org.huisclos.browser;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.huisclos.launcher.Huisclos;
import org.huisclos.launcher.TestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The web client sends the token of the invite link's fragment (#token=…) in its join. */
class SignInBrowserTest {
    private static final String SECRET = "browser-test-secret-of-more-than-32-characters";
    private static Huisclos server;
    private static final List<BrowserParticipant> browsers = new ArrayList<>();

    @BeforeAll
    static void startServer() throws Exception {
        server = TestServers.start("127.0.0.1", "sign-in-browser-test", Map.of(
                "HUISCLOS_JWT_HS256_SECRET", SECRET,
                "HUISCLOS_JWT_REQUIRED_TO_OPEN_ROOMS", "true"));
    }

    @AfterAll
    static void stopAll() {
        for (BrowserParticipant b : browsers) {
            b.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String token() throws Exception {
        String input = b64("{\"alg\":\"HS256\",\"typ\":\"JWT\"}") + "."
                + b64(new JsonObject().put("exp", System.currentTimeMillis() / 1000 + 300).encode());
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return input + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
                mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    }

    private static BrowserParticipant open(String name, String fragment) {
        BrowserParticipant b = new ChromiumParticipant(name);
        browsers.add(b);
        b.open("http://127.0.0.1:" + server.httpPort() + "/signin-room?name=" + name + "&autojoin=1" + fragment);
        return b;
    }

    private static boolean joined(BrowserParticipant b) {
        return b.js("return window.huisclos.participantId") != null;
    }

    @Test
    void aGuestCannotOpenTheRoomAMemberWithTheLinksTokenDoesAndTheGuestThenJoins() throws Exception {
        BrowserParticipant guest = open("Guest", "");
        guest.waitUntil("the guest is told to wait for a member", Duration.ofSeconds(30), () -> ((String) guest.js(
                "return document.body.innerText")).contains("signed-in member"));
        BrowserParticipant member = open("Member", "#token=" + token());
        member.waitUntil("the member joined", Duration.ofSeconds(30), () -> joined(member));
        guest.reload();
        guest.waitUntil("the guest joined the member's room", Duration.ofSeconds(30), () -> joined(guest));
    }
}
