package org.huisclos.media.sdp;

/** An SDP we cannot use; the message says what is wrong, for the error reply to the client. */
public final class SdpException extends Exception {
    public SdpException(String message) {
        super(message);
    }
}
