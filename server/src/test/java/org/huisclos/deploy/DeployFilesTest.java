package org.huisclos.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.huisclos.launcher.Huisclos;
import org.huisclos.launcher.TestServers;
import org.huisclos.turn.Coturn;
import org.huisclos.turn.TurnCredentials;
import org.huisclos.turn.TurnProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The files in deploy/ are checked with the tools that read them: every compose file with
 * {@code docker-compose config}, every Prometheus config with {@code promtool check config}, the
 * Grafana dashboard's PromQL against a real /metrics scrape, and the .env examples against
 * docs/configuration.md, coturn's turnserver.conf by Debian's coturn. {@code ./huisclos test}
 * installs docker-compose, promtool and turnserver (Debian packages docker-compose, prometheus and
 * coturn); no Docker engine is needed.
 */
class DeployFilesTest {
    private static final Path DOCKER_COMPOSE = Path.of("/usr/bin/docker-compose");
    private static final Path PROMTOOL = Path.of("/usr/bin/promtool");

    /** Values for the variables a user must fill in, so that the compose files' ${VAR:?} guards pass. */
    private static final Map<String, String> REQUIRED_FOR_TEST = Map.of(
            "HUISCLOS_DOMAIN", "meet.example.org",
            "HUISCLOS_PUBLIC_IP", "203.0.113.10",
            "HUISCLOS_CLUSTER_BIND", "10.8.0.1",
            "HUISCLOS_NODE_ID", "media-test-1",
            "GRAFANA_ADMIN_PASSWORD", "test-password");

    /** PromQL functions, aggregations and keywords the dashboard may use; anything else is a metric name. */
    private static final Set<String> PROMQL_WORDS = Set.of(
            "rate", "irate", "increase", "delta", "idelta", "deriv", "sum", "avg", "max", "min", "count", "topk",
            "bottomk", "quantile", "stddev", "histogram_quantile", "clamp_min", "clamp_max", "abs", "scalar", "vector",
            "max_over_time", "min_over_time", "avg_over_time", "sum_over_time", "time", "label_replace",
            "by", "without", "on", "ignoring", "group_left", "group_right", "and", "or", "unless", "bool", "offset",
            "le");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.$])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?");

    @TempDir
    Path tmp;

    private static Path root() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("deploy"))) {
            p = p.getParent();
        }
        if (p == null) {
            fail("no deploy/ folder above " + Path.of("").toAbsolutePath());
        }
        return p;
    }

    private static String read(Path p) throws IOException {
        return Files.readString(p, StandardCharsets.UTF_8);
    }

    private record Run(int exit, String output) {
    }

    private Run run(List<String> command) throws Exception {
        return run(command, Map.of());
    }

    private Run run(List<String> command, Map<String, String> env) throws Exception {
        Path out = Files.createTempFile(tmp, "out", ".txt");
        ProcessBuilder pb = new ProcessBuilder(command).directory(root().toFile())
                .redirectErrorStream(true).redirectOutput(out.toFile());
        // The files must validate on their own: no HUISCLOS_ or GRAFANA_ variable from the test's environment.
        pb.environment().keySet().removeIf(k -> k.startsWith("HUISCLOS_") || k.startsWith("GRAFANA_")
                || k.startsWith("TURN_") || k.startsWith("PROMETHEUS_") || k.startsWith("COMPOSE_"));
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(String.join(" ", command) + " did not finish in 120 s");
        }
        return new Run(p.exitValue(), read(out));
    }

    private static void requireTool(Path tool, String debianPackage) {
        if (!Files.isExecutable(tool)) {
            fail(tool + " is missing: `./huisclos test` installs it, or run as root: "
                    + "apt-get install -y --no-install-recommends " + debianPackage);
        }
    }

    private static List<Path> composeFiles() throws IOException {
        try (Stream<Path> files = Files.walk(root().resolve("deploy"))) {
            List<Path> found = files.filter(f -> f.toString().endsWith(".yml") || f.toString().endsWith(".yaml"))
                    .filter(f -> {
                        try {
                            return Pattern.compile("^services:", Pattern.MULTILINE).matcher(read(f)).find();
                        } catch (IOException e) {
                            throw new RuntimeException(e);
                        }
                    })
                    .sorted().collect(Collectors.toList());
            return found;
        }
    }

    /** NAME=value lines of an env file, commented-out ones too (a "# NAME=value" documents a fixed value). */
    private static Map<String, String> envLines(Path envFile) throws IOException {
        Map<String, String> vars = new LinkedHashMap<>();
        Matcher m = Pattern.compile("^#?\\s*([A-Z][A-Z0-9_]*)=(.*)$", Pattern.MULTILINE).matcher(read(envFile));
        while (m.find()) {
            vars.putIfAbsent(m.group(1), m.group(2).trim());
        }
        return vars;
    }

    /** The .env.example next to a compose file, with the values a user must fill in filled in. */
    private Path testEnvFile(Path composeFile) throws IOException {
        Path example = composeFile.resolveSibling(".env.example");
        assertTrue(Files.isRegularFile(example), "no .env.example next to " + composeFile);
        StringBuilder env = new StringBuilder();
        for (String line : read(example).split("\n")) {
            Matcher m = Pattern.compile("^([A-Z][A-Z0-9_]*)=\\s*$").matcher(line);
            if (m.matches() && REQUIRED_FOR_TEST.containsKey(m.group(1))) {
                env.append(m.group(1)).append('=').append(REQUIRED_FOR_TEST.get(m.group(1))).append('\n');
            } else {
                env.append(line).append('\n');
            }
        }
        Path file = Files.createTempFile(tmp, "test", ".env");
        Files.writeString(file, env);
        return file;
    }

    @Test
    void everyComposeFileValidates() throws Exception {
        requireTool(DOCKER_COMPOSE, "docker-compose");
        List<Path> files = composeFiles();
        Set<String> names = files.stream().map(f -> root().relativize(f).toString()).collect(Collectors.toSet());
        assertTrue(names.containsAll(Set.of("deploy/docker-compose.yml", "deploy/multi-vps/signaling.yml",
                "deploy/multi-vps/media.yml")), "compose files found: " + names);
        for (Path f : files) {
            Run r = run(List.of(DOCKER_COMPOSE.toString(), "--env-file", testEnvFile(f).toString(), "-f", f.toString(),
                    "--profile", "turn", "config", "-q"));
            assertEquals(0, r.exit(), "docker-compose config on " + root().relativize(f) + ":\n" + r.output());
        }
    }

    /** One secret, HUISCLOS_TURN_SECRET, reaches both Huisclos (credentials) and coturn (static-auth-secret). */
    @Test
    void theTurnSecretReachesHuisclosAndCoturn() throws Exception {
        requireTool(DOCKER_COMPOSE, "docker-compose");
        String secret = "turn-secret-0123456789abcdef";
        String urls = "turn:meet.example.org:3478?transport=udp,turns:meet.example.org:5349?transport=tcp";
        Path f = root().resolve("deploy/docker-compose.yml");
        Run r = run(List.of(DOCKER_COMPOSE.toString(), "--env-file", testEnvFile(f).toString(), "-f", f.toString(),
                "--profile", "turn", "config"), Map.of("HUISCLOS_TURN_SECRET", secret, "HUISCLOS_TURN_URLS", urls));
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("HUISCLOS_TURN_SECRET: " + secret), "huisclos gets the secret:\n" + r.output());
        assertTrue(r.output().contains("HUISCLOS_TURN_URLS: " + urls), "huisclos gets the URLs:\n" + r.output());
        assertTrue(r.output().contains("--static-auth-secret=" + secret), "coturn gets the same secret:\n" + r.output());
        assertTrue(r.output().contains("--realm=meet.example.org"), r.output());
        assertTrue(r.output().contains("--tls-listening-port=5349"), r.output());
        assertTrue(r.output().contains("/meet.example.org/meet.example.org.crt"), "coturn's TLS uses Caddy's certificate:\n" + r.output());

        Path signaling = root().resolve("deploy/multi-vps/signaling.yml");
        r = run(List.of(DOCKER_COMPOSE.toString(), "--env-file", testEnvFile(signaling).toString(), "-f", signaling.toString(),
                "config"), Map.of("HUISCLOS_TURN_SECRET", secret, "HUISCLOS_TURN_URLS", urls));
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("HUISCLOS_TURN_SECRET: " + secret), "the signaling instance gets the secret:\n" + r.output());
    }

    /** deploy/coturn/turnserver.conf is one Debian's coturn accepts, with credentials as Huisclos makes them. */
    @Test
    void theDeployedCoturnConfigAllocatesWithHuisclosCredentials() throws Exception {
        String secret = "deploy-test-" + System.nanoTime();
        try (Coturn coturn = Coturn.start("127.0.0.1", 0, secret, root().resolve("deploy/coturn/turnserver.conf"))) {
            TurnCredentials.Credential c = new TurnCredentials(List.of(coturn.url("udp")), secret, Duration.ofSeconds(60)).issue();
            assertTrue(TurnProbe.allocates(coturn, c.username(), c.credential()),
                    "coturn with deploy/coturn/turnserver.conf refused Huisclos's credential; its log:\n" + coturn.log());
        }
    }

    @Test
    void composeRefusesToStartWithoutThePublicAddress() throws Exception {
        requireTool(DOCKER_COMPOSE, "docker-compose");
        Path f = root().resolve("deploy/docker-compose.yml");
        Run r = run(List.of(DOCKER_COMPOSE.toString(), "--env-file", f.resolveSibling(".env.example").toString(),
                "-f", f.toString(), "config", "-q"));
        assertNotEquals(0, r.exit(), "an unfilled .env must not validate");
        assertTrue(r.output().contains("HUISCLOS_PUBLIC_IP") || r.output().contains("HUISCLOS_DOMAIN")
                || r.output().contains("GRAFANA_ADMIN_PASSWORD"), r.output());
    }

    @Test
    void composeFilesUseOnlyVariablesTheirEnvExampleNames() throws Exception {
        for (Path f : composeFiles()) {
            Set<String> documented = envLines(f.resolveSibling(".env.example")).keySet();
            Matcher m = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)").matcher(read(f));
            while (m.find()) {
                assertTrue(documented.contains(m.group(1)),
                        root().relativize(f) + " uses ${" + m.group(1) + "}, which its .env.example does not name");
            }
        }
    }

    @Test
    void envExampleNamesEveryConfigurationVariable() throws Exception {
        Set<String> documented = new TreeSet<>();
        Matcher m = Pattern.compile("^\\|\\s*`(HUISCLOS_[A-Z0-9_]+)`", Pattern.MULTILINE)
                .matcher(read(root().resolve("docs/configuration.md")));
        while (m.find()) {
            documented.add(m.group(1));
        }
        assertTrue(documented.size() >= 17, "variables found in docs/configuration.md: " + documented);
        Map<String, String> example = envLines(root().resolve("deploy/.env.example"));
        Set<String> missing = new TreeSet<>(documented);
        missing.removeAll(example.keySet());
        assertEquals(Set.of(), missing, "deploy/.env.example does not name these variables of docs/configuration.md");
        for (Path env : List.of(root().resolve("deploy/.env.example"), root().resolve("deploy/multi-vps/.env.example"))) {
            for (String name : envLines(env).keySet()) {
                if (name.startsWith("HUISCLOS_") && !name.equals("HUISCLOS_DOMAIN")) {
                    assertTrue(documented.contains(name), root().relativize(env) + " names " + name
                            + ", which docs/configuration.md does not document");
                }
            }
        }
    }

    @Test
    void prometheusConfigsPassPromtool() throws Exception {
        requireTool(PROMTOOL, "prometheus");
        for (String config : List.of("deploy/prometheus/prometheus.yml", "deploy/multi-vps/prometheus/prometheus.yml")) {
            Run r = run(List.of(PROMTOOL.toString(), "check", "config", root().resolve(config).toString()));
            assertEquals(0, r.exit(), "promtool check config " + config + ":\n" + r.output());
        }
    }

    /** With Debian's caddy, which ./huisclos test installs. */
    @Test
    void caddyfilesAdapt() throws Exception {
        Path caddy = Path.of("/usr/bin/caddy");
        assertTrue(Files.isExecutable(caddy), "/usr/bin/caddy is missing: ./huisclos test installs it (Debian package caddy)");
        for (String file : List.of("deploy/Caddyfile", "deploy/multi-vps/Caddyfile")) {
            Run r = run(List.of(caddy.toString(), "adapt", "--adapter", "caddyfile", "--config", root().resolve(file).toString()),
                    Map.of("HUISCLOS_DOMAIN", "meet.example.org", "HUISCLOS_UPSTREAM", "10.8.0.1:8080"));
            assertEquals(0, r.exit(), "caddy adapt " + file + ":\n" + r.output());
            assertTrue(r.output().contains("meet.example.org"), file + " does not serve $HUISCLOS_DOMAIN:\n" + r.output());
        }
    }

    /** Every panel of the dashboard, with those nested in rows. */
    private static List<JsonObject> panels(JsonArray array) {
        List<JsonObject> all = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            JsonObject p = array.getJsonObject(i);
            all.add(p);
            if (p.containsKey("panels")) {
                all.addAll(panels(p.getJsonArray("panels")));
            }
        }
        return all;
    }

    /** Metric names in a PromQL expression; fails on an unknown function. */
    static Set<String> metricNames(String expr) {
        String e = expr.replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"")   // string literals
                .replaceAll("\\{[^}]*}", "")                             // label matchers
                .replaceAll("\\[[^]]*]", "")                             // range selectors
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ")
                .replaceAll("\\$\\w+", " ");                              // Grafana variables
        Set<String> names = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(e);
        while (m.find()) {
            String word = m.group(1);
            if (m.group(2) != null) {
                assertTrue(PROMQL_WORDS.contains(word), "unknown PromQL function " + word + " in " + expr);
            } else if (!PROMQL_WORDS.contains(word)) {
                names.add(word);
            }
        }
        return names;
    }

    @Test
    void metricNamesAreExtractedFromPromql() {
        assertEquals(Set.of("huisclos_signaling_join_seconds_bucket"), metricNames(
                "histogram_quantile(0.95, sum by (le) (rate(huisclos_signaling_join_seconds_bucket[$__rate_interval])))"));
        assertEquals(Set.of("jvm_memory_used_bytes"),
                metricNames("sum by (instance) (jvm_memory_used_bytes{area=\"heap\", id=~\"G1.*\"})"));
        assertEquals(Set.of("a_total", "b"), metricNames("sum(rate(a_total[5m])) * 8 / on (x) b"));
    }

    @Test
    void everyDashboardMetricIsInARealScrape() throws Exception {
        Path dashboardFile = root().resolve("deploy/grafana/dashboards/huisclos.json");
        JsonObject dashboard = new JsonObject(read(dashboardFile));
        String datasourceUid = null;
        Matcher uid = Pattern.compile("^\\s*uid:\\s*(\\S+)", Pattern.MULTILINE)
                .matcher(read(root().resolve("deploy/grafana/provisioning/datasources/prometheus.yml")));
        if (uid.find()) {
            datasourceUid = uid.group(1);
        }
        assertTrue(datasourceUid != null, "the provisioned datasource has no uid");

        Map<String, Set<String>> byPanel = new LinkedHashMap<>();
        for (JsonObject panel : panels(dashboard.getJsonArray("panels"))) {
            if ("row".equals(panel.getString("type"))) {
                continue;
            }
            String title = panel.getString("title");
            JsonArray targets = panel.getJsonArray("targets", new JsonArray());
            assertFalse(targets.isEmpty(), "panel '" + title + "' has no query");
            assertEquals(datasourceUid, panel.getJsonObject("datasource").getString("uid"),
                    "panel '" + title + "' names another datasource than the provisioned one");
            for (int i = 0; i < targets.size(); i++) {
                String expr = targets.getJsonObject(i).getString("expr");
                Set<String> names = metricNames(expr);
                assertFalse(names.isEmpty(), "panel '" + title + "': no metric in " + expr);
                byPanel.computeIfAbsent(title + " #" + i + ": " + expr, k -> new TreeSet<>()).addAll(names);
            }
        }

        Set<String> scraped = new TreeSet<>();
        try (Huisclos server = TestServers.start("127.0.0.1", "deploy-files-test", Map.of(
                "HUISCLOS_CLUSTER_BIND", "127.0.0.1"))) {
            HttpResponse<String> r = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + server.httpPort() + "/metrics"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            for (String line : r.body().split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    scraped.add(line.split("[{ ]", 2)[0]);
                }
            }
        }

        String metricsDoc = read(root().resolve("docs/metrics.md"));
        Set<String> used = new TreeSet<>();
        byPanel.forEach((panel, names) -> {
            for (String name : names) {
                assertTrue(scraped.contains(name), panel + ": " + name + " is not in a /metrics scrape of HUISCLOS_ROLE=all");
                assertTrue(documented(name, metricsDoc), panel + ": " + name + " is not documented in docs/metrics.md");
                used.add(name);
            }
        });

        // Every Huisclos metric of docs/metrics.md has a panel (a histogram through its _bucket series).
        Matcher doc = Pattern.compile("^\\|\\s*`(huisclos_[a-z0-9_]+)`\\s*\\|\\s*(\\w+)", Pattern.MULTILINE).matcher(metricsDoc);
        Set<String> withoutPanel = new TreeSet<>();
        while (doc.find()) {
            String name = doc.group(2).equals("histogram") ? doc.group(1) + "_bucket" : doc.group(1);
            if (!used.contains(name)) {
                withoutPanel.add(name);
            }
        }
        assertEquals(Set.of(), withoutPanel, "documented metrics that no dashboard panel shows");
    }

    /** Named in docs/metrics.md: literally, as a histogram's series, or under a documented prefix like jvm_memory_*. */
    private static boolean documented(String name, String doc) {
        String base = name.replaceAll("_(bucket|sum|count)$", "");
        if (doc.contains("`" + name + "`") || doc.contains("`" + base + "`")) {
            return true;
        }
        Matcher prefix = Pattern.compile("`([a-z_]+)_\\*`").matcher(doc);
        while (prefix.find()) {
            if (name.startsWith(prefix.group(1) + "_")) {
                return true;
            }
        }
        return false;
    }
}
