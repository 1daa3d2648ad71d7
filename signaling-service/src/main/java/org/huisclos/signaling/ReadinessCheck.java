package org.huisclos.signaling;

import java.util.Optional;

/**
 * Whether this process can take new participants now, for {@code GET /ready}. The launcher
 * supplies it, so that signaling knows nothing of Hazelcast or the media node. Called on the
 * event loop at every probe: it must answer at once, without blocking.
 */
@FunctionalInterface
public interface ReadinessCheck {
    ReadinessCheck ALWAYS = () -> Optional.empty();

    /** Empty when ready; otherwise a short reason for the operator (no personal data). */
    Optional<String> notReadyReason();
}
