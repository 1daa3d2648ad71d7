package org.huisclos.signaling;

/**
 * A client message that cannot be acted on. Carries the error code of docs/protocol.md and a
 * message that says what was wrong; the session turns it into an {@code error} reply. The message
 * must never quote room or display names: it names fields and limits only.
 */
final class ProtocolError extends Exception {
    private static final long serialVersionUID = 1L;

    private final String code;

    ProtocolError(String code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    String code() {
        return code;
    }
}
