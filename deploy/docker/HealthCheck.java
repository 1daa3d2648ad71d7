import java.net.HttpURLConnection;
import java.net.URI;

/**
 * The container's HEALTHCHECK: GET http://127.0.0.1:$HUISCLOS_HTTP_PORT/health, exit 0 on 200,
 * 1 otherwise. Plain java.base, so it runs on the JRE image without curl or wget.
 */
public final class HealthCheck {
    public static void main(String[] args) {
        String port = System.getenv().getOrDefault("HUISCLOS_HTTP_PORT", "8080");
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/health").toURL()
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
}
