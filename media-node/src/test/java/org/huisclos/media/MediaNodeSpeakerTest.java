package org.huisclos.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.huisclos.media.peer.Await;
import org.huisclos.media.peer.MediaPump;
import org.huisclos.media.peer.TestPeer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The dominant speaker (issue 14, item 5): the node reads the audio level of every publisher's audio
 * packet (RFC 6464) and tells everyone in the room who holds the floor; a participant who speaks on,
 * clearly louder, takes it over; a participant of another room hears nothing of it.
 */
class MediaNodeSpeakerTest {
    private static final String NODE = "speaker-test-node";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int LOUD = 20;   // -dBov: speech
    private static final int QUIET = 110; // room noise

    private DeployedNode deployed;
    private final List<TestPeer> peers = new ArrayList<>();
    private final List<MediaPump> pumps = new ArrayList<>();

    @BeforeEach
    void deploy() throws Exception {
        deployed = new DeployedNode(new MediaNodeConfig(NODE, "127.0.0.1", 0, 0, "127.0.0.1", 50, 1_000_000, false,
                null, null, 0, false));
    }

    @AfterEach
    void undeploy() throws Exception {
        for (MediaPump p : pumps) {
            p.close();
        }
        for (TestPeer p : peers) {
            p.close();
        }
        deployed.close();
    }

    private TestPeer join(String room, String id) throws Exception {
        TestPeer p = new TestPeer(deployed.vertx, NODE, room, id);
        peers.add(p);
        p.join();
        p.connect(TIMEOUT);
        return p;
    }

    @Test
    void theOneWhoSpeaksOnTakesTheFloorAndEveryoneInTheRoomIsTold() throws Exception {
        TestPeer ada = join("talk", "ada");
        TestPeer bob = join("talk", "bob");
        TestPeer cyd = join("talk", "cyd");
        TestPeer other = join("elsewhere", "eve");
        ada.audioLevel(LOUD);
        bob.audioLevel(QUIET);
        cyd.audioLevel(QUIET);
        other.audioLevel(LOUD);
        List<TestPeer> room = List.of(ada, bob, cyd);
        MediaPump audio = new MediaPump(() -> {
            for (TestPeer p : peers) {
                p.sendRtp("audio");
            }
        }, 20); // 50 packets a second each, as Opus sends
        pumps.add(audio);

        long started = System.nanoTime();
        for (TestPeer p : room) {
            Await.until(TIMEOUT, () -> p.speakers().contains("ada"), () -> p.participantId + " told Ada speaks: "
                    + p.speakers());
        }
        long first = (System.nanoTime() - started) / 1_000_000;

        // Bob speaks, Ada falls silent: Bob takes the floor after about a second of it.
        bob.audioLevel(LOUD);
        ada.audioLevel(QUIET);
        long switched = System.nanoTime();
        for (TestPeer p : room) {
            Await.until(TIMEOUT, () -> !p.speakers().isEmpty() && p.speakers().get(p.speakers().size() - 1).equals("bob"),
                    () -> p.participantId + " told Bob speaks: " + p.speakers());
        }
        long second = (System.nanoTime() - switched) / 1_000_000;
        System.out.println("SPEAKER: Ada announced " + first + " ms after the first levels, Bob " + second
                + " ms after he began; Ada's room heard " + ada.speakers());
        assertTrue(second >= 900, "a second of speech before the floor changes hands, not " + second + " ms");
        assertEquals(List.of("ada", "bob"), cyd.speakers(), "each change told once");
        assertTrue(other.speakers().stream().noneMatch(s -> s.equals("ada") || s.equals("bob")),
                "nobody of another room is named to Eve: " + other.speakers());
        assertEquals(List.of("eve"), other.speakers(), "Eve's room has its own speaker");
    }

    @Test
    void aShortBurstDoesNotTakeTheFloorAndSilenceDoesNotLoseIt() throws Exception {
        TestPeer ada = join("burst", "ada");
        TestPeer bob = join("burst", "bob");
        ada.audioLevel(LOUD);
        bob.audioLevel(QUIET);
        java.util.concurrent.atomic.AtomicInteger burst = new java.util.concurrent.atomic.AtomicInteger(Integer.MAX_VALUE);
        java.util.concurrent.atomic.AtomicInteger after = new java.util.concurrent.atomic.AtomicInteger();
        pumps.add(new MediaPump(() -> {
            int left = burst.getAndDecrement();
            if (left == 10) { // Ada stops; Bob coughs for 10 packets (200 ms)
                ada.audioLevel(QUIET);
                bob.audioLevel(LOUD);
            } else if (left == 0) {
                bob.audioLevel(QUIET);
            } else if (left < 0) {
                after.incrementAndGet();
            }
            ada.sendRtp("audio");
            bob.sendRtp("audio");
        }, 20));
        Await.until(TIMEOUT, () -> bob.speakers().contains("ada"), () -> "Ada announced: " + bob.speakers());
        burst.set(11);
        // 150 rounds after the cough (3 s, three times what a change of speaker needs): the floor stays with Ada
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (after.get() < 150) {
            assertEquals(List.of("ada"), bob.speakers(), "the floor stays with Ada");
            assertTrue(System.nanoTime() < deadline, "the pump ran 150 rounds");
            Thread.sleep(5);
        }
        assertEquals(List.of("ada"), bob.speakers(), "the floor stays with Ada");
    }
}
