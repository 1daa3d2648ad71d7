package org.huisclos.signaling;

/**
 * A client message that cannot be acted on. Carries the error code of docs/protocol.md and a
 * message that says what was wrong; the session turns it into an {@code error} reply. The message
 * must never quote room or display names: it names fields and limits only.
 */
final class ProtocolError extends Exception {
    private static final long serialVersionUID = 1L;

    private final String code;
    /** For {@code too-many-attempts}: seconds until another try is allowed (0: none given). */
    private final long retryAfterSeconds;
    /** A fixed word the reply carries as {@code reason} (null: none), e.g. why a resume failed. */
    private final String reason;

    ProtocolError(String code, String message) {
        this(code, message, 0);
    }

    ProtocolError(String code, String message, long retryAfterSeconds) {
        this(code, message, retryAfterSeconds, null);
    }

    ProtocolError(String code, String message, String reason) {
        this(code, message, 0, reason);
    }

    ProtocolError(String code, String message, long retryAfterSeconds, String reason) {
        super(message, null, false, false);
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
        this.reason = reason;
    }

    String reason() {
        return reason;
    }

    long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    String code() {
        return code;
    }
}
