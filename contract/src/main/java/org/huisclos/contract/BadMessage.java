package org.huisclos.contract;

/**
 * An event-bus message that a codec could not decode: not a JSON object, an unknown action or type,
 * a missing or ill-typed field, or a newer protocol version. {@link #code} is the failure code the
 * receiver replies with ({@link MediaRequest.Failure#BAD_REQUEST}), the message says what is wrong.
 */
public final class BadMessage extends Exception {
    private static final long serialVersionUID = 1L;

    public final int code;

    public BadMessage(String message) {
        super(message, null, false, false);
        this.code = MediaRequest.Failure.BAD_REQUEST;
    }
}
