package org.huisclos.media.stun;

import java.nio.charset.StandardCharsets;

/** The ERROR-CODE values an ICE-lite agent sends (RFC 5389 §15.6, RFC 8445 §7.3.1.1). */
public final class StunErrorCode {
    public static final int BAD_REQUEST = 400;
    public static final int UNAUTHORIZED = 401;
    public static final int UNKNOWN_ATTRIBUTE = 420;
    public static final int ROLE_CONFLICT = 487;
    public static final int SERVER_ERROR = 500;

    // Encoded once so that writing an error response does not allocate.
    private static final byte[] BAD_REQUEST_REASON = ascii("Bad Request");
    private static final byte[] UNAUTHORIZED_REASON = ascii("Unauthorized");
    private static final byte[] UNKNOWN_ATTRIBUTE_REASON = ascii("Unknown Attribute");
    private static final byte[] ROLE_CONFLICT_REASON = ascii("Role Conflict");
    private static final byte[] SERVER_ERROR_REASON = ascii("Server Error");
    private static final byte[] NO_REASON = new byte[0];

    private StunErrorCode() {
    }

    /** The recommended reason phrase; shared array, callers must not modify it. */
    static byte[] reasonPhrase(int code) {
        switch (code) {
            case BAD_REQUEST: return BAD_REQUEST_REASON;
            case UNAUTHORIZED: return UNAUTHORIZED_REASON;
            case UNKNOWN_ATTRIBUTE: return UNKNOWN_ATTRIBUTE_REASON;
            case ROLE_CONFLICT: return ROLE_CONFLICT_REASON;
            case SERVER_ERROR: return SERVER_ERROR_REASON;
            default: return NO_REASON;
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
