package org.huisclos.browser;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Every line the JVM's root logger writes while installed, formatted as the console handler would,
 * so that a test can prove no log line names a room, a person or an address.
 */
final class LogCapture extends Handler {
    private final SimpleFormatter formatter = new SimpleFormatter();
    private final Queue<String> lines = new ConcurrentLinkedQueue<>();

    /** Starts capturing every level on the root logger. */
    void install() {
        setLevel(Level.ALL);
        Logger.getLogger("").addHandler(this);
    }

    void remove() {
        Logger.getLogger("").removeHandler(this);
    }

    /** The lines captured so far (live: it grows while the server logs). */
    Queue<String> lines() {
        return lines;
    }

    @Override
    public void publish(LogRecord r) {
        lines.add(formatter.format(r));
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
