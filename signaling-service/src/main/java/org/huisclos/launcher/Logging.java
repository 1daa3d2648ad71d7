package org.huisclos.launcher;

import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * One-line logs to standard error. Hazelcast and Netty speak only of warnings. Nothing logged by
 * Huisclos names a room, a participant or a client address (privacy rule).
 */
final class Logging {
    private Logging() {
    }

    static void configure() {
        Logger root = Logger.getLogger("");
        for (var h : root.getHandlers()) {
            root.removeHandler(h);
        }
        ConsoleHandler handler = new ConsoleHandler();
        handler.setLevel(Level.ALL);
        handler.setFormatter(new Formatter() {
            @Override
            public String format(LogRecord r) {
                String thrown = r.getThrown() == null ? "" : " (" + r.getThrown() + ")";
                return String.format("%1$tF %1$tT %2$s %3$s: %4$s%5$s%n", r.getMillis(), r.getLevel().getName(),
                        shortName(r.getLoggerName()), formatMessage(r), thrown);
            }
        });
        root.addHandler(handler);
        root.setLevel(Level.INFO);
        Logger.getLogger("com.hazelcast").setLevel(Level.WARNING);
        Logger.getLogger("io.netty").setLevel(Level.WARNING);
        // Standalone members have no CP subsystem, and Huisclos uses none of it.
        Logger.getLogger("com.hazelcast.cp.CPSubsystem").setLevel(Level.SEVERE);
        // Warns when a participant leaves while a message to it is under way: routine, and it names addresses on the bus.
        Logger.getLogger("io.vertx.core.eventbus.impl.MessageConsumerImpl").setLevel(Level.SEVERE);
    }

    private static String shortName(String name) {
        if (name == null) {
            return "";
        }
        int dot = name.lastIndexOf('.');
        return dot < 0 ? name : name.substring(dot + 1);
    }
}
