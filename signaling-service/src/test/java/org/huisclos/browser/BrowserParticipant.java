package org.huisclos.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * One meeting participant: a headless Chromium driven through chromedriver, with a fake
 * camera and microphone. Close it to quit the browser and delete its profile.
 */
public final class BrowserParticipant implements AutoCloseable {

    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private static final Duration POLL = Duration.ofMillis(200);

    private final String name;
    private final Path profileDir;
    private final ChromeDriver driver;

    public BrowserParticipant(String name) {
        this(name, false);
    }

    /**
     * @param acceptInsecureCerts trust any HTTPS certificate, as for a self-signed Huisclos (HUISCLOS_TLS=self-signed)
     * @param extraArguments more Chromium switches, e.g. {@code --host-resolver-rules=MAP name 127.0.0.1}
     */
    public BrowserParticipant(String name, boolean acceptInsecureCerts, String... extraArguments) {
        this.name = name;
        // Fail (not skip): a missing browser must turn the suite red, not silently shrink it.
        for (Path p : new Path[] {CHROMIUM, CHROMEDRIVER}) {
            if (!Files.isExecutable(p)) {
                throw new IllegalStateException(p + " is missing: run ./huisclos test, which installs"
                        + " the Debian packages chromium and chromium-driver");
            }
        }
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        try {
            profileDir = Files.createTempDirectory("huisclos-chromium-" + name + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-dev-shm-usage",
                "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
                // Without it Chrome gathers no ICE candidate when only loopback carries traffic.
                "--allow-loopback-in-peer-connection",
                "--autoplay-policy=no-user-gesture-required",
                // Small window: four participants share two cores in the meeting test.
                "--window-size=640,480",
                "--user-data-dir=" + profileDir);
        options.addArguments(extraArguments);
        if (acceptInsecureCerts) {
            options.setAcceptInsecureCerts(true);
            options.addArguments("--ignore-certificate-errors");
        }
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        try {
            driver = new ChromeDriver(service, options);
        } catch (RuntimeException e) {
            deleteProfile();
            throw new IllegalStateException("could not start Chromium for participant " + name, e);
        }
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
    }

    public String name() {
        return name;
    }

    public ChromeDriver driver() {
        return driver;
    }

    public BrowserParticipant open(String url) {
        driver.get(url);
        return this;
    }

    /** Runs a synchronous script; arguments are visible as {@code arguments[i]}. */
    public Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /**
     * Runs {@code expression}, which may yield a promise, and returns its resolved value.
     * A rejection becomes a WebDriver exception carrying the JS error text.
     */
    public Object jsAsync(String expression, Object... args) {
        String script = "const done = arguments[arguments.length - 1];"
                + "const args = Array.prototype.slice.call(arguments, 0, -1);"
                + "Promise.resolve().then(() => (function() { return (\n" + expression + "\n); }).apply(null, args))"
                + ".then(v => done({ok: true, value: v}), e => done({ok: false, error: String(e && e.stack || e)}));";
        Object r = ((JavascriptExecutor) driver).executeAsyncScript(script, args);
        if (!(r instanceof java.util.Map<?, ?> m) || !Boolean.TRUE.equals(m.get("ok"))) {
            throw new IllegalStateException(name + ": async script failed: "
                    + (r instanceof java.util.Map<?, ?> m2 ? m2.get("error") : r));
        }
        return m.get("value");
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
                AssertionError err = new AssertionError(name + ": timed out after " + timeout
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
            return driver.getCurrentUrl();
        } catch (RuntimeException e) {
            return "unknown";
        }
    }

    @Override
    public void close() {
        try {
            driver.quit(); // stops chromedriver and the browser it started, nothing else
        } finally {
            deleteProfile();
        }
    }

    private void deleteProfile() {
        try (Stream<Path> files = Files.walk(profileDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A leftover temp dir is harmless; do not hide the test's real outcome.
        }
    }
}
