package org.huisclos.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.core.HazelcastInstance;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RoomRegistryTest {
    private static HazelcastInstance hazelcast;
    private RoomRegistry registry;

    @BeforeAll
    static void startMember() {
        hazelcast = Hazelcasts.start("registry-test-" + ProcessHandle.current().pid(), "127.0.0.1", 15701, List.of());
    }

    @AfterAll
    static void stopMember() {
        hazelcast.shutdown();
    }

    @BeforeEach
    void clean() {
        hazelcast.getMap(RoomRegistry.ROOMS).clear();
        hazelcast.getMap(RoomRegistry.NODES).clear();
        registry = new RoomRegistry(hazelcast, NodeSelector.LEAST_LOADED);
    }

    private static NodeRecord node(String id, int participants, int capacity, NodeState state, long heartbeat) {
        return new NodeRecord(id, "127.0.0.1", 10000, "", capacity, participants, 0, 0, 0.0, "member", state, heartbeat);
    }

    @Test
    void placesANewRoomOnTheLeastLoadedServingNode() {
        long now = System.currentTimeMillis();
        registry.heartbeat(node("a", 50, 100, NodeState.SERVING, now));
        registry.heartbeat(node("b", 10, 100, NodeState.SERVING, now));
        registry.heartbeat(node("c", 0, 100, NodeState.DRAINING, now));
        assertEquals(Optional.of("b"), registry.placeRoom("k1"));
        registry.heartbeat(node("b", 90, 100, NodeState.SERVING, now));
        assertEquals(Optional.of("b"), registry.placeRoom("k1"), "a placed room stays where it is");
        assertEquals(Optional.of("a"), registry.placeRoom("k2"));
    }

    @Test
    void placeTellsWhetherTheRoomWasPlacedOrAlreadyHadALiveNode() {
        assertEquals(new RoomRegistry.Placement(Optional.empty(), RoomRegistry.Outcome.NONE), registry.place("k"));
        long now = System.currentTimeMillis();
        registry.heartbeat(node("a", 0, 100, NodeState.SERVING, now));
        assertEquals(new RoomRegistry.Placement(Optional.of("a"), RoomRegistry.Outcome.PLACED), registry.place("k"));
        assertEquals(new RoomRegistry.Placement(Optional.of("a"), RoomRegistry.Outcome.EXISTING), registry.place("k"));
        registry.heartbeat(node("a", 0, 100, NodeState.DRAINING, now));
        assertEquals(new RoomRegistry.Placement(Optional.of("a"), RoomRegistry.Outcome.EXISTING), registry.place("k"),
                "a draining node keeps its room while no other node can take it");
        registry.heartbeat(node("b", 0, 100, NodeState.SERVING, now));
        assertEquals(new RoomRegistry.Placement(Optional.of("b"), RoomRegistry.Outcome.ADDED), registry.place("k"),
                "newcomers go to another node: the room spans both until the draining node's last participant left");
        assertEquals(List.of("a", "b"), registry.room("k").orElseThrow().nodes());
    }

    @Test
    void aDrainingNodesRoomMovesUnlessNoOtherNodeCanTakeIt() {
        long now = System.currentTimeMillis();
        registry.heartbeat(node("a", 0, 100, NodeState.SERVING, now));
        assertEquals(Optional.of("a"), registry.placeRoom("k1"));
        registry.heartbeat(node("a", 1, 100, NodeState.DRAINING, now));
        assertEquals(Optional.of("a"), registry.placeRoom("k1"), "nowhere else to go: the room stays");
        assertEquals(Optional.empty(), registry.placeRoom("k2"), "a draining node takes no new room");
        registry.heartbeat(node("b", 50, 100, NodeState.SERVING, now));
        assertEquals(Optional.of("b"), registry.placeRoom("k1"), "the room moves off the draining node");
        assertEquals(Optional.of("b"), registry.placeRoom("k1"), "and stays on its new node");
        registry.heartbeat(node("a", 0, 100, NodeState.SERVING, now));
        assertEquals(Optional.of("b"), registry.placeRoom("k1"), "a node back in service does not pull it back");
    }

    @Test
    void skipsFullAndSilentNodesAndMovesRoomsOfDeadNodes() {
        long now = System.currentTimeMillis();
        registry.heartbeat(node("full", 100, 100, NodeState.SERVING, now));
        registry.heartbeat(node("silent", 0, 100, NodeState.SERVING, now - NodeRecord.STALE_AFTER_MILLIS - 1000));
        assertEquals(Optional.empty(), registry.placeRoom("k"));
        registry.heartbeat(node("ok", 0, 100, NodeState.SERVING, now));
        assertEquals(Optional.of("ok"), registry.placeRoom("k"));
        registry.heartbeat(node("ok", 0, 100, NodeState.SERVING, now - NodeRecord.STALE_AFTER_MILLIS - 1000));
        registry.heartbeat(node("new", 0, 100, NodeState.SERVING, now));
        assertEquals(Optional.of("new"), registry.placeRoom("k"), "the room of a silent node moves");
    }

    @Test
    void concurrentPlacementsOfOneRoomAgree() throws Exception {
        long now = System.currentTimeMillis();
        for (int i = 0; i < 4; i++) {
            registry.heartbeat(node("n" + i, 0, 100, NodeState.SERVING, now));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 20; round++) {
                String room = "room-" + round;
                List<Callable<Optional<String>>> calls = java.util.Collections.nCopies(8, () -> registry.placeRoom(room));
                Set<String> answers = new HashSet<>();
                for (Future<Optional<String>> f : pool.invokeAll(calls)) {
                    answers.add(f.get().orElseThrow());
                }
                assertEquals(1, answers.size(), "all callers get one node for " + room + ": " + answers);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void closedRoomsAreForgottenOnlyByTheirNode() {
        long now = System.currentTimeMillis();
        registry.heartbeat(node("a", 0, 100, NodeState.SERVING, now));
        registry.placeRoom("k");
        registry.roomClosed("k", "other");
        assertTrue(registry.room("k").isPresent());
        registry.roomClosed("k", "a");
        assertFalse(registry.room("k").isPresent());
    }

    @Test
    void aRoomStaysOnOneNodeWhileItFitsThenSpansTheLeastLoadedNodeWithRoom() {
        long now = System.currentTimeMillis();
        registry.heartbeat(node("a", 0, 2, NodeState.SERVING, now));
        registry.heartbeat(node("b", 1, 2, NodeState.SERVING, now));
        registry.heartbeat(node("c", 0, 2, NodeState.SERVING, now));
        assertEquals(new RoomRegistry.Placement(Optional.of("a"), RoomRegistry.Outcome.PLACED), registry.place("k"));
        registry.heartbeat(node("a", 1, 2, NodeState.SERVING, now));
        assertEquals(new RoomRegistry.Placement(Optional.of("a"), RoomRegistry.Outcome.EXISTING), registry.place("k"),
                "fits on its node: stays there although c is emptier");
        registry.heartbeat(node("a", 2, 2, NodeState.SERVING, now));
        assertEquals(new RoomRegistry.Placement(Optional.of("c"), RoomRegistry.Outcome.ADDED), registry.place("k"),
                "a full: the least-loaded node with room joins the room");
        assertEquals(List.of("a", "c"), registry.room("k").orElseThrow().nodes());
        assertEquals(List.of("a", "c"), registry.roomNodes("k"));
        assertEquals(Optional.of("b"), registry.place("k", "", Set.of("c")).nodeId(),
                "a node that refused as full is avoided");
        assertEquals(List.of("a", "c", "b"), registry.room("k").orElseThrow().nodes());
        registry.roomClosed("k", "c");
        assertEquals(List.of("a", "b"), registry.room("k").orElseThrow().nodes(), "c's last participant left");
        assertEquals(List.of("a", "b", "c"), registry.joined("k", "c"),
                "a participant allocated on c just as its last one left: c is back, and the nodes to link up with");
        assertEquals(List.of("a", "b", "c"), registry.joined("k", "c"), "once only");
        registry.roomClosed("k", "c");
        registry.heartbeat(node("a", 2, 2, NodeState.SERVING, now));
        registry.heartbeat(node("b", 2, 2, NodeState.SERVING, now));
        registry.heartbeat(node("c", 2, 2, NodeState.SERVING, now));
        assertEquals(RoomRegistry.Placement.NO_NODE, registry.place("k"), "every node full");
    }

    @Test
    void aDeadNodeLeavesTheRoomAndItsParticipantsMayLandOnSeveralNodes() {
        long now = System.currentTimeMillis();
        registry.heartbeat(node("a", 0, 2, NodeState.SERVING, now));
        registry.heartbeat(node("b", 0, 2, NodeState.SERVING, now));
        registry.heartbeat(node("c", 0, 2, NodeState.SERVING, now));
        registry.place("k");
        registry.heartbeat(node("a", 2, 2, NodeState.SERVING, now));
        registry.place("k");
        assertEquals(List.of("a", "b"), registry.room("k").orElseThrow().nodes());
        registry.heartbeat(node("b", 1, 2, NodeState.SERVING, now));
        registry.removeNode("a");
        assertEquals(new RoomRegistry.Placement(Optional.of("b"), RoomRegistry.Outcome.EXISTING),
                registry.place("k", "", Set.of("a")), "the first moved participant fills b");
        assertEquals(List.of("b"), registry.room("k").orElseThrow().nodes(), "the dead node left the room");
        registry.heartbeat(node("b", 2, 2, NodeState.SERVING, now));
        assertEquals(new RoomRegistry.Placement(Optional.of("c"), RoomRegistry.Outcome.ADDED),
                registry.place("k", "", Set.of("a")), "the second lands on c");
        assertEquals(List.of("b", "c"), registry.room("k").orElseThrow().nodes());
    }

    @Test
    void participantsArePlacedOnANodeOfTheirRegionWhenOneHasRoom() {
        long now = System.currentTimeMillis();
        registry.heartbeat(new NodeRecord("eu-1", "127.0.0.1", 1, "eu", 10, 0, 0, 0, 0.0, "m", NodeState.SERVING, now));
        registry.heartbeat(new NodeRecord("us-1", "127.0.0.1", 1, "us", 10, 5, 0, 0, 0.0, "m", NodeState.SERVING, now));
        registry.heartbeat(new NodeRecord("us-2", "127.0.0.1", 1, "us", 10, 9, 0, 0, 0.0, "m", NodeState.SERVING, now));
        assertEquals(Optional.of("us-1"), registry.place("k", "us", Set.of()).nodeId(), "least-loaded of the region");
        assertEquals(Optional.of("eu-1"), registry.place("k", "eu", Set.of()).nodeId(), "the room spans the regions");
        assertEquals(Optional.of("us-1"), registry.place("k", "us", Set.of()).nodeId());
        assertEquals(Optional.of("eu-1"), registry.place("k", "", Set.of()).nodeId(),
                "no preference: the room's node that joined it last, with room");
        assertEquals(Optional.of("eu-1"), registry.place("k", "asia", Set.of()).nodeId(),
                "no node in that region: a node of the room");
        assertEquals(List.of("us-1", "eu-1"), registry.room("k").orElseThrow().nodes());
    }

    @Test
    void concurrentJoinsNeverLoseANodeOfTheRoom() throws Exception {
        long now = System.currentTimeMillis();
        for (int i = 0; i < 4; i++) {
            registry.heartbeat(new NodeRecord("n" + i, "127.0.0.1", 1, "r" + i, 100, 0, 0, 0, 0.0, "m",
                    NodeState.SERVING, now));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Optional<String>>> calls = new java.util.ArrayList<>();
            for (int i = 0; i < 16; i++) {
                String region = "r" + (i % 4);
                calls.add(() -> registry.place("k", region, Set.of()).nodeId());
            }
            Set<String> answers = new HashSet<>();
            for (Future<Optional<String>> f : pool.invokeAll(calls)) {
                answers.add(f.get().orElseThrow());
            }
            assertEquals(Set.of("n0", "n1", "n2", "n3"), answers);
            assertEquals(Set.of("n0", "n1", "n2", "n3"), new HashSet<>(registry.room("k").orElseThrow().nodes()),
                    "every node a participant was placed on is in the room's set");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aNewRoomGoesToItsRegionEvenToAFullerNodeAndElsewhereOnlyWhenTheRegionHasNoRoom() {
        long now = System.currentTimeMillis();
        registry.heartbeat(new NodeRecord("eu-1", "127.0.0.1", 1, "eu", 100, 80, 0, 0, 0.0, "m", NodeState.SERVING, now));
        registry.heartbeat(new NodeRecord("eu-2", "127.0.0.1", 1, "eu", 100, 100, 0, 0, 0.0, "m", NodeState.SERVING, now));
        registry.heartbeat(new NodeRecord("us-1", "127.0.0.1", 1, "us", 100, 0, 0, 0, 0.0, "m", NodeState.SERVING, now));
        assertEquals(Optional.of("eu-1"), registry.place("k1", "eu", Set.of()).nodeId(),
                "a fuller node of the region beats an empty one elsewhere; a full one is never chosen");
        assertEquals(Optional.of("us-1"), registry.place("k2", "asia", Set.of()).nodeId(),
                "no node in the region: the least loaded anywhere");
        assertEquals(Optional.of("us-1"), registry.place("k3", "eu", Set.of("eu-1")).nodeId(),
                "the region's only node with room is avoided: a node elsewhere");
        assertEquals(Optional.of("us-1"), registry.place("k4", "", Set.of()).nodeId(), "no preference: the least loaded");
    }

    @Test
    void roomKeysAreKeyedHashes() {
        RoomKeys one = RoomKeys.random();
        RoomKeys two = RoomKeys.random();
        assertEquals(one.keyOf("demo"), one.keyOf("demo"));
        assertNotEquals(one.keyOf("demo"), two.keyOf("demo"), "another secret, another key");
        assertNotEquals(one.keyOf("demo"), one.keyOf("Demo"));
        assertEquals(32, one.keyOf("demo").length());
        assertFalse(one.keyOf("demo").contains("demo"));
    }

    @Test
    void moderationIsClaimedOnceAndAccessSettingsChangeOnlyForTheModeratorAndSurviveAMove() throws Exception {
        long now = System.currentTimeMillis();
        registry.heartbeat(node("a", 0, 100, NodeState.SERVING, now));
        registry.placeRoom("m");
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            java.util.List<java.util.concurrent.Future<String>> claims = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String who = "p" + i;
                claims.add(pool.submit(() -> registry.claimModerator("m", who).orElseThrow().moderator()));
            }
            java.util.Set<String> winners = new java.util.HashSet<>();
            for (var c : claims) {
                winners.add(c.get());
            }
            assertEquals(1, winners.size(), "one moderator for all claimants: " + winners);
        } finally {
            pool.shutdownNow();
        }
        String moderator = registry.access("m").orElseThrow().moderator();
        assertTrue(registry.setPasswordHash("m", "intruder", "h").isEmpty());
        assertTrue(registry.setLobby("m", "intruder", true).isEmpty());
        assertEquals("h", registry.setPasswordHash("m", moderator, "h").orElseThrow().passwordHash());
        assertTrue(registry.setLobby("m", moderator, true).orElseThrow().lobby());
        assertTrue(registry.replaceModerator("m", "intruder", "intruder").isEmpty());
        assertEquals("p9", registry.replaceModerator("m", moderator, "p9").orElseThrow().moderator());
        // The room moves to another node: its settings go along.
        registry.heartbeat(node("a", 0, 100, NodeState.DRAINING, now));
        registry.heartbeat(node("b", 0, 100, NodeState.SERVING, now));
        assertEquals("b", registry.placeRoom("m").orElseThrow());
        RoomRecord moved = registry.access("m").orElseThrow();
        assertEquals("p9", moved.moderator());
        assertEquals("h", moved.passwordHash());
        assertTrue(moved.lobby());
        assertEquals("RoomRecord[nodes=[a, b], moderated=true, password=true, lobby=true]", moved.toString(),
                "the hash never shows in a log");
        registry.roomClosed("m", "a");
        assertEquals("p9", registry.access("m").orElseThrow().moderator(), "the room goes on on b");
        registry.roomClosed("m", "b");
        assertTrue(registry.access("m").isEmpty(), "a closed room forgets its settings");
    }
}
