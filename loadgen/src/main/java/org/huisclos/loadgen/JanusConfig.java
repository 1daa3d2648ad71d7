package org.huisclos.loadgen;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The configuration folder of the Janus the bench starts: ICE-lite on one interface (the bench namespace's veth,
 * which carries 127.0.0.1), no STUN/TURN, the VideoRoom plugin with one room per bench room (VP8 and Opus), the
 * HTTP API on 127.0.0.1 only, and every other plugin, transport, event handler and logger disabled so that it
 * starts fast.
 *
 * @param iface       the only interface Janus gathers candidates on ({@code ice_enforce_list})
 * @param rooms       rooms {@link #roomId(int) 1..rooms} are created
 * @param publishers  publishers allowed per room
 * @param httpPort    port of the HTTP API on 127.0.0.1
 */
record JanusConfig(String iface, int rooms, int publishers, int httpPort) {
    static final String LIBS = "/usr/lib/x86_64-linux-gnu/janus";
    private static final String[] OTHER_PLUGINS = {"audiobridge", "duktape", "echotest", "lua", "nosip",
        "recordplay", "sip", "streaming", "textroom", "videocall", "voicemail"};
    private static final String[] OTHER_TRANSPORTS = {"mqtt", "nanomsg", "pfunix", "rabbitmq", "websockets"};
    private static final String[] EVENT_HANDLERS = {"gelfevh", "mqttevh", "nanomsgevh", "rabbitmqevh", "sampleevh",
        "wsevh"};

    JanusConfig {
        if (!iface.matches("[A-Za-z0-9_.-]{1,15}")) {
            throw new IllegalArgumentException("not an interface name: " + iface);
        }
    }

    /** The VideoRoom id of bench room {@code index} (0-based). */
    static long roomId(int index) {
        return 1000 + index;
    }

    /** Writes janus.jcfg, janus.plugin.videoroom.jcfg and janus.transport.http.jcfg into {@code dir}. */
    void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("janus.jcfg"), janus(dir));
        Files.writeString(dir.resolve("janus.plugin.videoroom.jcfg"), videoRoom());
        Files.writeString(dir.resolve("janus.transport.http.jcfg"), http());
    }

    String janus(Path dir) {
        return """
                general: {
                \tconfigs_folder = "%s"
                \tplugins_folder = "%s/plugins"
                \ttransports_folder = "%s/transports"
                \tevents_folder = "%s/events"
                \tloggers_folder = "%s/loggers"
                \tdebug_level = 3
                \tsession_timeout = 0
                }
                certificates: {
                }
                media: {
                \trtp_port_range = "20000-40000"
                }
                nat: {
                \tice_lite = true
                \tice_tcp = false
                \tfull_trickle = false
                \tice_enforce_list = "%s"
                \tignore_mdns = true
                \tnice_debug = false
                }
                plugins: {
                \tdisable = "%s"
                }
                transports: {
                \tdisable = "%s"
                }
                events: {
                \tbroadcast = false
                \tdisable = "%s"
                }
                loggers: {
                \tdisable = "libjanus_jsonlog.so"
                }
                """.formatted(dir.toAbsolutePath(), LIBS, LIBS, LIBS, LIBS, iface, libraries(OTHER_PLUGINS),
                libraries(OTHER_TRANSPORTS), libraries(EVENT_HANDLERS));
    }

    String videoRoom() {
        StringBuilder sb = new StringBuilder("general: {\n}\n");
        for (int r = 0; r < rooms; r++) {
            sb.append("room-").append(roomId(r)).append(": {\n")
                    .append("\tdescription = \"bench\"\n")
                    .append("\tpublishers = ").append(Math.max(1, publishers)).append('\n')
                    .append("\tbitrate = 0\n")
                    .append("\tfir_freq = 0\n")
                    .append("\taudiocodec = \"opus\"\n")
                    .append("\tvideocodec = \"vp8\"\n")
                    .append("\trecord = false\n")
                    .append("}\n");
        }
        return sb.toString();
    }

    String http() {
        return """
                general: {
                \tjson = "plain"
                \tbase_path = "/janus"
                \thttp = true
                \tport = %d
                \tip = "127.0.0.1"
                \thttps = false
                }
                admin: {
                \tadmin_http = false
                \tadmin_https = false
                }
                cors: {
                }
                """.formatted(httpPort);
    }

    private static String libraries(String[] names) {
        StringBuilder sb = new StringBuilder();
        for (String n : names) {
            sb.append(sb.isEmpty() ? "" : ",").append("libjanus_").append(n).append(".so");
        }
        return sb.toString();
    }
}
