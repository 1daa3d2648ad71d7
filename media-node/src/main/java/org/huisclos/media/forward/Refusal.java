package org.huisclos.media.forward;

/** A request the node cannot serve; {@code code} is one of {@link org.huisclos.contract.MediaRequest.Failure}. */
public final class Refusal extends Exception {
    private static final long serialVersionUID = 1L;

    public final int code;

    public Refusal(int code, String message) {
        super(message);
        this.code = code;
    }
}
