package org.huisclos.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Janus configuration the bench writes: what the side by side relies on. */
class JanusConfigTest {

    @Test
    void iceLiteOnTheBenchInterfaceOnlyWithNoStunOrTurn(@TempDir Path dir) throws Exception {
        new JanusConfig("hcb0", 3, 2, 8088).write(dir);
        String janus = Files.readString(dir.resolve("janus.jcfg"));

        assertTrue(janus.contains("ice_lite = true"), janus);
        assertTrue(janus.contains("ice_enforce_list = \"hcb0\""), janus);
        assertTrue(janus.contains("configs_folder = \"" + dir.toAbsolutePath() + "\""), janus);
        assertFalse(janus.contains("stun_server"), janus);
        assertFalse(janus.contains("turn_server"), janus);
        // Every other plugin and transport is disabled: only the VideoRoom and HTTP load.
        assertFalse(janus.contains("libjanus_videoroom.so"), janus);
        assertFalse(janus.contains("libjanus_http.so"), janus);
        assertTrue(janus.contains("libjanus_websockets.so") && janus.contains("libjanus_streaming.so"), janus);
    }

    @Test
    void oneRoomPerBenchRoomWithVp8OpusAndEnoughPublishers(@TempDir Path dir) throws Exception {
        new JanusConfig("hcb0", 3, 2, 8088).write(dir);
        String rooms = Files.readString(dir.resolve("janus.plugin.videoroom.jcfg"));

        Matcher m = Pattern.compile("room-(\\d+): \\{").matcher(rooms);
        int count = 0;
        while (m.find()) {
            assertEquals(JanusConfig.roomId(count), Long.parseLong(m.group(1)));
            count++;
        }
        assertEquals(3, count);
        assertEquals(3, rooms.split("publishers = 2\n", -1).length - 1, rooms);
        assertEquals(3, rooms.split("videocodec = \"vp8\"\n", -1).length - 1, rooms);
        assertEquals(3, rooms.split("audiocodec = \"opus\"\n", -1).length - 1, rooms);
    }

    @Test
    void theHttpApiListensOnLoopbackOnly(@TempDir Path dir) throws Exception {
        new JanusConfig("hcb0", 1, 1, 18088).write(dir);
        String http = Files.readString(dir.resolve("janus.transport.http.jcfg"));

        assertTrue(http.contains("ip = \"127.0.0.1\""), http);
        assertTrue(http.contains("port = 18088"), http);
        assertTrue(http.contains("admin_http = false"), http);
    }

    @Test
    void anInterfaceNameCannotInjectConfiguration() {
        assertThrows(IllegalArgumentException.class, () -> new JanusConfig("hcb0\"\n\tstun_server = \"x", 1, 1, 8088));
    }
}
