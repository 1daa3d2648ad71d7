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
    /** JUL keeps loggers weakly: without these references a level set here is lost at the next GC. */
    private static final java.util.List<Logger> CONFIGURED = new java.util.ArrayList<>();

    private Logging() {
    }

    private static void level(String name, Level level) {
        Logger logger = Logger.getLogger(name);
        logger.setLevel(level);
        CONFIGURED.add(logger);
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
        level("com.hazelcast", Level.WARNING);
        level("io.netty", Level.WARNING);
        // Standalone members have no CP subsystem, and Huisclos uses none of it.
        level("com.hazelcast.cp.CPSubsystem", Level.SEVERE);
        // Warns when a participant leaves while a message to it is under way: routine, and it names addresses on the bus.
        level("io.vertx.core.eventbus.impl.MessageConsumerImpl", Level.SEVERE);
    }

    private static String shortName(String name) {
        if (name == null) {
            return "";
        }
        int dot = name.lastIndexOf('.');
        return dot < 0 ? name : name.substring(dot + 1);
    }
}
