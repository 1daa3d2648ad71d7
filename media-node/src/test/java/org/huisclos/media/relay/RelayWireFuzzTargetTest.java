package org.huisclos.media.relay;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.huisclos.contract.MediaRequest;
import org.huisclos.media.fuzz.FuzzStats;
import org.junit.jupiter.api.AfterAll;

/**
 * Jazzer target: the decoding of relay requests that arrive over the cluster's event bus
 * (docs/reliability.md), as it stands in {@link RelayWire} (to be re-pointed at the contract's message
 * codecs once those exist). The input is the JSON body as text. The announced streams either fail with an
 * IllegalArgumentException (the 400 of a relay request) or are a list whose every entry reads as
 * {@link RelayManager} reads it (numeric ssrc and rtx, string kind, codec and participant) without a
 * ClassCastException; the peer's address either fails with an IllegalArgumentException or is an IP
 * literal with a port in 1..65535, found without a name lookup.
 */
class RelayWireFuzzTargetTest {
    private static long executions;

    @FuzzTest
    void relayRequest(byte[] data) {
        executions++;
        JsonObject body;
        try {
            body = new JsonObject(new String(data, StandardCharsets.UTF_8));
        } catch (DecodeException e) {
            return; // the event bus delivers decoded JSON objects; text that is none never reaches the node
        }
        try {
            JsonArray streams = RelayWire.announcedStreams(body);
            for (int i = 0; streams != null && i < streams.size(); i++) {
                JsonObject s = streams.getJsonObject(i);
                assertNotNull(s.getLong(MediaRequest.STREAM_SSRC));
                s.getLong(MediaRequest.STREAM_RTX, -1L);
                String kind = s.getString(MediaRequest.STREAM_KIND);
                RelayWire.codec(s.getString(MediaRequest.STREAM_CODEC), kind);
                s.getString(MediaRequest.PARTICIPANT);
            }
        } catch (IllegalArgumentException e) {
            assertNotNull(e.getMessage());
        }
        if (body.getValue(MediaRequest.ADDRESS) instanceof String text) {
            try {
                InetSocketAddress a = RelayWire.parseAddress(text);
                assertTrue(a.getPort() >= 1 && a.getPort() <= 65535);
                assertTrue(!a.isUnresolved());
                String host = text.substring(0, text.lastIndexOf(':'));
                assertTrue(host.indexOf(':') >= 0 || host.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}"),
                        "an IPv4 address is a dotted quad, anything else would be looked up: " + host);
            } catch (IllegalArgumentException e) {
                assertNotNull(e.getMessage());
            }
        }
    }

    @AfterAll
    static void report() throws Exception {
        FuzzStats.write(RelayWireFuzzTargetTest.class, executions);
    }
}
