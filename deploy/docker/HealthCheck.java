import java.net.HttpURLConnection;
import java.net.URI;

/**
 * The container's HEALTHCHECK: GET /health on this process's HTTP port (HUISCLOS_HTTP_PORT, default
 * 8080; for HUISCLOS_ROLE=media, HUISCLOS_MEDIA_HTTP_PORT, default 8090) at HUISCLOS_HTTP_BIND (127.0.0.1 when it binds every interface); exit 0 on 200, 1
 * otherwise. Plain java.base, so it runs on the JRE image, which is not promised to have curl.
 */
public final class HealthCheck {
    public static void main(String[] args) {
        String port = env("HUISCLOS_ROLE", "all").equals("media")
                ? env("HUISCLOS_MEDIA_HTTP_PORT", "8090") : env("HUISCLOS_HTTP_PORT", "8080");
        String host = env("HUISCLOS_HTTP_BIND", "0.0.0.0");
        if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
            host = "127.0.0.1";
        } else if (host.contains(":") && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create("http://" + host + ":" + port + "/health").toURL()
                    .openConnection();
            c.setConnectTimeout(3000);
            c.setReadTimeout(3000);
            int status = c.getResponseCode();
            if (status == 200) {
                System.exit(0);
            }
            System.err.println("health: HTTP " + status);
        } catch (Exception e) {
            System.err.println("health: " + e);
        }
        System.exit(1);
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v.trim();
    }
}
