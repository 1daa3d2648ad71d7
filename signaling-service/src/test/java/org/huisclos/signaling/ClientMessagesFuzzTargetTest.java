package org.huisclos.signaling;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;

/**
 * Jazzer target: the client protocol's JSON (docs/protocol.md) as a session reads a text frame
 * (docs/reliability.md). The input, as UTF-8 text, is decoded, then the fields of its type are read as
 * {@link ClientSession} and {@link AccessControl} read them. Every failure is a {@link ProtocolError} with
 * one of the protocol's error codes (never another exception), a decoded message has a client type, and
 * the error reply to it encodes.
 */
class ClientMessagesFuzzTargetTest {
    private static long executions;

    @FuzzTest
    void frame(byte[] data) {
        executions++;
        String frame = new String(data, StandardCharsets.UTF_8);
        JsonObject message = null;
        try {
            message = ClientMessages.decode(frame);
            String type = ClientMessages.typeOf(message);
            assertTrue(ClientMessages.CLIENT_TYPES.contains(type), type);
            fields(type, message);
        } catch (ProtocolError e) {
            assertTrue(ClientMessages.ERROR_CODES.contains(e.code()), e.code());
            assertNotNull(ClientMessages.error(e.code(), e.getMessage(), ClientMessages.typeOf(message)).encode());
        }
    }

    private static void fields(String type, JsonObject m) throws ProtocolError {
        switch (type) {
            case ClientMessages.JOIN -> {
                ClientMessages.integer(m, "v");
                ClientMessages.roomName(m);
                ClientMessages.displayName(m);
                ClientMessages.bool(m, "audio");
                ClientMessages.bool(m, "video");
                if (m.getValue("region") instanceof String r) {
                    MediaPlacement.REGION.matcher(r).matches();
                }
            }
            case ClientMessages.ANSWER -> {
                ClientMessages.integer(m, "version");
                ClientMessages.string(m, "sdp");
            }
            case ClientMessages.MUTE -> {
                ClientMessages.bool(m, "audio");
                ClientMessages.bool(m, "video");
            }
            case ClientMessages.RESUME -> {
                ClientMessages.string(m, "participant");
                ClientMessages.string(m, "token");
            }
            case ClientMessages.SET_PASSWORD -> ClientMessages.string(m, "password");
            case ClientMessages.LOBBY -> ClientMessages.bool(m, "on");
            case ClientMessages.MUTE_PARTICIPANT, ClientMessages.REMOVE_PARTICIPANT, ClientMessages.HAND_OVER,
                    ClientMessages.ADMIT, ClientMessages.REFUSE -> ClientMessages.string(m, "participant");
            default -> {
                // leave, ping: no fields
            }
        }
    }

    @AfterAll
    static void report() throws Exception {
        FuzzStats.write(ClientMessagesFuzzTargetTest.class, executions);
    }
}
