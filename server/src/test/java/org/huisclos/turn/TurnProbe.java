package org.huisclos.turn;

import java.io.IOException;
import java.time.Duration;

/** For tests outside this package: does a TURN server give a relay for these credentials? */
public final class TurnProbe {
    private TurnProbe() {
    }

    /** An Allocate (after the 401 challenge) with {@code username}/{@code password} succeeds; the relay is freed again. */
    public static boolean allocates(Coturn coturn, String username, String password) throws IOException {
        Duration answer = Duration.ofSeconds(10);
        try (TurnClient client = new TurnClient(coturn.address())) {
            TurnClient.Response challenge = client.allocateUnauthenticated(answer);
            if (challenge == null || challenge.errorCode() != 401 || challenge.nonce() == null) {
                return false;
            }
            TurnClient.Response r = client.allocate(username, password, challenge.realm(), challenge.nonce(), answer);
            if (r == null || !r.success() || r.relayed() == null) {
                return false;
            }
            client.release(username, password, challenge.realm(), challenge.nonce(), answer);
            return true;
        }
    }
}
