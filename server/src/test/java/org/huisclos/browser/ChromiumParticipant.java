package org.huisclos.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.huisclos.launcher.TestCluster;

import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.remote.RemoteWebDriver;

/**
 * A participant in headless Chromium, driven through chromedriver (Selenium): on this machine's
 * network, or with chromedriver and Chromium inside a {@link TestNetwork} namespace.
 */
public final class ChromiumParticipant extends BrowserParticipant {

    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private final Path profileDir;
    private final RemoteWebDriver driver;
    private final Process namespacedDriver;
    private final Process forwarder;

    public ChromiumParticipant(String name) {
        this(name, false);
    }

    /**
     * @param acceptInsecureCerts trust any HTTPS certificate, as for a self-signed Huisclos (HUISCLOS_TLS=self-signed)
     * @param extraArguments more Chromium switches, e.g. {@code --host-resolver-rules=MAP name 127.0.0.1}
     */
    public ChromiumParticipant(String name, boolean acceptInsecureCerts, String... extraArguments) {
        this(name, null, acceptInsecureCerts, extraArguments);
    }

    /**
     * Chromium inside {@code network} (null: on this machine's network), for pages of the namespace's
     * host side ({@code origin} is treated as secure, as https would be).
     */
    public static ChromiumParticipant inside(TestNetwork network, String name, String origin) {
        return new ChromiumParticipant(name, network, false, "--unsafely-treat-insecure-origin-as-secure=" + origin);
    }

    private ChromiumParticipant(String name, TestNetwork network, boolean acceptInsecureCerts, String... extraArguments) {
        super(name);
        requireExecutable(CHROMIUM, "chromium and chromium-driver");
        requireExecutable(CHROMEDRIVER, "chromium and chromium-driver");
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
        Process chromedriver = null;
        Process fwd = null;
        try {
            if (network == null) {
                ChromeDriverService service = new ChromeDriverService.Builder()
                        .usingDriverExecutable(withoutRealtimePriority(CHROMEDRIVER).toFile())
                        .usingAnyFreePort()
                        .build();
                driver = new ChromeDriver(service, options);
            } else {
                // chromedriver in the namespace (so that Chromium is there too), reached through a forwarder.
                int port = TestCluster.freePorts(1)[0];
                chromedriver = new ProcessBuilder(network.inside(withoutRealtimePriority(List.of(CHROMEDRIVER.toString(), "--port=" + port))))
                        .redirectErrorStream(true).redirectOutput(profileDir.resolve("chromedriver.log").toFile()).start();
                fwd = network.forwardPort(port, profileDir.resolve("socat.log"));
                driver = connect(new URL("http://127.0.0.1:" + port), options);
            }
        } catch (RuntimeException | IOException e) {
            TestNetwork.stop(fwd);
            TestNetwork.stop(chromedriver);
            deleteTree(profileDir);
            throw new IllegalStateException("could not start Chromium for participant " + name, e);
        }
        namespacedDriver = chromedriver;
        forwarder = fwd;
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
    }

    @Override
    public Kind kind() {
        return Kind.CHROMIUM;
    }

    /** chromedriver needs a moment to listen: retry the session until it answers. */
    private static RemoteWebDriver connect(URL url, ChromeOptions options) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                return new RemoteWebDriver(url, options);
            } catch (RuntimeException e) {
                if (System.nanoTime() - deadline > 0) {
                    throw e;
                }
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** Selenium's driver, for what only Chromium offers (DevTools commands, element clicks). */
    public RemoteWebDriver driver() {
        return driver;
    }

    @Override
    public ChromiumParticipant open(String url) {
        driver.get(url);
        return this;
    }

    @Override
    public Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    @Override
    public Object jsAsync(String expression, Object... args) {
        String script = "const done = arguments[arguments.length - 1];"
                + "const args = Array.prototype.slice.call(arguments, 0, -1);"
                + "Promise.resolve().then(() => (function() { return (\n" + expression + "\n); }).apply(null, args))"
                + ".then(v => done({ok: true, value: v}), e => done({ok: false, error: String(e && e.stack || e)}));";
        Object r = ((JavascriptExecutor) driver).executeAsyncScript(script, args);
        if (!(r instanceof java.util.Map<?, ?> m) || !Boolean.TRUE.equals(m.get("ok"))) {
            throw new IllegalStateException(name() + ": async script failed: "
                    + (r instanceof java.util.Map<?, ?> m2 ? m2.get("error") : r));
        }
        return m.get("value");
    }

    @Override
    public void addInitScript(String source) {
        if (!(driver instanceof ChromeDriver chrome)) {
            throw new UnsupportedOperationException("init scripts need DevTools, which a namespaced Chromium does not expose here");
        }
        chrome.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", java.util.Map.of("source", source));
    }

    @Override
    public void reload() {
        driver.navigate().refresh();
    }

    @Override
    public byte[] screenshot() {
        return driver.getScreenshotAs(OutputType.BYTES);
    }

    @Override
    public String currentUrl() {
        return driver.getCurrentUrl();
    }

    @Override
    public void close() {
        try {
            driver.quit(); // stops chromedriver and the browser it started, nothing else
        } finally {
            TestNetwork.stop(forwarder);
            TestNetwork.stop(namespacedDriver);
            deleteTree(profileDir);
        }
    }
}
