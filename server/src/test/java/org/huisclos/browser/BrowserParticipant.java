package org.huisclos.browser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * One meeting participant in a real browser with a fake camera and microphone: Chromium through
 * chromedriver ({@link ChromiumParticipant}) or Firefox through WebDriver BiDi
 * ({@link FirefoxParticipant}). Tests speak to either through this class: open a page, run a
 * script, poll a condition. Close it to quit the browser and delete its profile.
 */
public abstract class BrowserParticipant implements AutoCloseable {

    /** The browsers a test can ask for. */
    public enum Kind { CHROMIUM, FIREFOX }

    private static final Duration POLL = Duration.ofMillis(200);

    private final String name;

    protected BrowserParticipant(String name) {
        this.name = name;
    }

    /** Chromium on this machine's network (it reaches 127.0.0.1 and every test namespace's host side). */
    public static BrowserParticipant chromium(String name) {
        return new ChromiumParticipant(name);
    }

    /** Firefox in the JVM's shared test namespace: it reaches servers on {@link TestNetwork#hostAddress()}. */
    public static BrowserParticipant firefox(String name) {
        return new FirefoxParticipant(name, TestNetwork.shared());
    }

    /**
     * A browser of {@code kind} for pages of {@code origin} (a server on {@link TestNetwork#hostAddress()}
     * of the shared namespace): Firefox inside the namespace, Chromium on this machine; each treats the
     * plain-HTTP origin as secure, as it would https (camera, microphone and Web Crypto need that).
     */
    public static BrowserParticipant of(Kind kind, String name, String origin) {
        return kind == Kind.FIREFOX ? firefox(name)
                : new ChromiumParticipant(name, false, "--unsafely-treat-insecure-origin-as-secure=" + origin);
    }

    public String name() {
        return name;
    }

    public abstract Kind kind();

    /** Loads {@code url} and returns once the page has loaded. */
    public abstract BrowserParticipant open(String url);

    /** Runs a synchronous script ({@code return …} gives the value); arguments are {@code arguments[i]}. */
    public abstract Object js(String script, Object... args);

    /**
     * Runs {@code expression}, which may yield a promise, and returns its resolved value.
     * A rejection becomes an exception carrying the JS error text.
     */
    public abstract Object jsAsync(String expression, Object... args);

    /** Runs {@code source} in every page this browser loads from now on, before the page's own scripts. */
    public abstract void addInitScript(String source);

    /** Reloads the page and returns once it has loaded. */
    public abstract void reload();

    /** The page as a PNG. */
    public abstract byte[] screenshot();

    public String currentUrl() {
        return (String) js("return location.href");
    }

    /** Polls {@code condition} every 200 ms until it holds, or fails after {@code timeout}. */
    public void waitUntil(String description, Duration timeout, Supplier<Boolean> condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        RuntimeException last = null;
        while (true) {
            try {
                if (Boolean.TRUE.equals(condition.get())) {
                    return;
                }
                last = null;
            } catch (RuntimeException e) {
                last = e; // keep polling: the page may still be loading
            }
            if (System.nanoTime() - deadline >= 0) {
                AssertionError err = new AssertionError(name + " (" + kind() + "): timed out after " + timeout
                        + " waiting for: " + description + " (page: " + safeUrl() + ")");
                if (last != null) {
                    err.initCause(last);
                }
                throw err;
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for: " + description, e);
            }
        }
    }

    private String safeUrl() {
        try {
            return currentUrl();
        } catch (RuntimeException e) {
            return "unknown";
        }
    }

    @Override
    public abstract void close();

    @Override
    public String toString() {
        return name + " (" + kind().name().toLowerCase() + ")";
    }

    private static final Path SETPRIV = Path.of("/usr/bin/setpriv");
    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));
    private static Path chromedriverWrapper;

    /**
     * {@code command} so that, run as root, the browser it starts cannot raise its threads to
     * real-time priority: without CAP_SYS_NICE, as a user's browser runs. A browser started by root
     * puts its audio threads in SCHED_RR (Chromium 156.0.8078.114 does, three to six threads each);
     * with five of them on two cores they preempt the servers under test, whose heartbeats then
     * come seconds late. Not root: {@code command} unchanged.
     */
    static List<String> withoutRealtimePriority(List<String> command) {
        if (!ROOT) {
            return command;
        }
        requireExecutable(SETPRIV, "util-linux");
        List<String> out = new ArrayList<>(List.of(SETPRIV.toString(), "--bounding-set=-sys_nice",
                "--inh-caps=-sys_nice"));
        out.addAll(command);
        return out;
    }

    /** An executable that runs {@code chromedriver} as {@link #withoutRealtimePriority} does, for Selenium's service. */
    static synchronized Path withoutRealtimePriority(Path chromedriver) {
        if (!ROOT) {
            return chromedriver;
        }
        if (chromedriverWrapper == null) {
            try {
                Path script = Files.createTempFile("huisclos-chromedriver-", ".sh");
                script.toFile().deleteOnExit();
                Files.writeString(script, "#!/bin/sh\nexec " + String.join(" ",
                        withoutRealtimePriority(List.of(chromedriver.toString()))) + " \"$@\"\n");
                if (!script.toFile().setExecutable(true)) {
                    throw new IOException("cannot make " + script + " executable");
                }
                chromedriverWrapper = script;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return chromedriverWrapper;
    }

    static void requireExecutable(Path p, String packages) {
        // Fail (not skip): a missing browser must turn the suite red, not silently shrink it.
        if (!Files.isExecutable(p)) {
            throw new IllegalStateException(p + " is missing: run ./huisclos test, which installs"
                    + " the Debian packages " + packages);
        }
    }

    static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A leftover temp dir is harmless; do not hide the test's real outcome.
        }
    }
}
