package org.huisclos.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import org.huisclos.media.srtp.SrtpProfile;
import org.junit.jupiter.api.Test;

/**
 * The generator's measurements, checked against what a relay stage is told to do, and a short run through a
 * real media node (in-process). No timing assertions: the injected delay is a lower bound, the loss a count.
 */
class GeneratorTest {

    @Test
    void reportsTheLossAndLatencyARelayInjects() throws Exception {
        // Every 10th datagram dropped, each one held 20 ms: ~10 % loss and a median latency of at least 20 ms.
        try (PlainRelay relay = PlainRelay.open(0, 10, 20);
             NodeMain.Server server = NodeMain.Server.relay(relay)) {
            server.serveInBackground();
            try (NodeClient client = new NodeClient(server.controlPort())) {
                Generator.Scenario sc = new Generator.Scenario(1, 2, 1, 300_000, 30, null, 0.3, 1.5, true);
                JsonObject r = new Generator(sc, client, ProcessHandle.current().pid(), relay.port()).run();
                double loss = r.getDouble("lossPercent");
                assertTrue(loss > 8.0 && loss < 12.0, "loss " + loss + " % in " + r);
                assertTrue(r.getLong("latencyMicrosP50") >= 20_000, "p50 " + r.getLong("latencyMicrosP50") + " µs");
                assertTrue(r.getLong("expected") > 0);
            }
        }
    }

    @Test
    void aCleanRelayLosesNothing() throws Exception {
        try (PlainRelay relay = PlainRelay.open(0, 0, 0);
             NodeMain.Server server = NodeMain.Server.relay(relay)) {
            server.serveInBackground();
            try (NodeClient client = new NodeClient(server.controlPort())) {
                Generator.Scenario sc = new Generator.Scenario(2, 2, 1, 300_000, 30, null, 0.3, 1.0, true);
                JsonObject r = new Generator(sc, client, ProcessHandle.current().pid(), relay.port()).run();
                assertEquals(r.getLong("expected"), r.getLong("delivered"), r.encode());
                assertTrue(r.getDouble("forwardedPerSecond") > 0);
            }
        }
    }

    @Test
    void participantsGetMediaThroughAMediaNode() throws Exception {
        // The real thing in-process: ICE, DTLS, SRTP (AES_CM) through a media node; every measured packet arrives
        // on loopback unless the machine stalls, so only "most of it, decrypted" is asserted.
        try (NodeMain.Server server = NodeMain.Server.sfu()) {
            server.serveInBackground();
            try (NodeClient client = new NodeClient(server.controlPort())) {
                Generator.Scenario sc = new Generator.Scenario(1, 2, 1, 300_000, 30,
                        SrtpProfile.AES_CM_128_HMAC_SHA1_80, 0.5, 1.0, false);
                JsonObject r = new Generator(sc, client, ProcessHandle.current().pid(), server.mediaPort()).run();
                assertTrue(r.getLong("expected") > 0, r.encode());
                assertTrue(r.getLong("delivered") > r.getLong("expected") / 2, r.encode());
                assertEquals(0L, r.getLong("srtpFailures"), r.encode());
                assertEquals(0L, r.getLong("answerErrors"), r.encode());
                assertTrue(r.getDouble("forwardedPerSecond") > 0, r.encode());
            }
        }
    }
}
