package org.huisclos.media.dtls;

import java.util.Locale;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsFatalAlertReceived;

/** A DTLS-SRTP handshake that did not produce keys; the cause is BC's exception. */
public final class DtlsHandshakeException extends Exception {
    private static final long serialVersionUID = 1L;

    private final DtlsRole role;

    DtlsHandshakeException(DtlsRole role, Throwable cause) {
        super(describe(role, cause), cause);
        this.role = role;
    }

    public DtlsRole role() {
        return role;
    }

    /** The TLS alert we raised or received, or -1 when the failure was a timeout, close or I/O error. */
    public short alertDescription() {
        Throwable c = getCause();
        if (c instanceof TlsFatalAlert alert) {
            return alert.getAlertDescription();
        }
        if (c instanceof TlsFatalAlertReceived received) {
            return received.getAlertDescription();
        }
        return -1;
    }

    private static String describe(DtlsRole role, Throwable cause) {
        String what;
        if (cause instanceof TlsFatalAlertReceived received) {
            what = "peer sent fatal alert " + AlertDescription.getText(received.getAlertDescription());
        } else if (cause instanceof TlsFatalAlert alert) {
            what = "sent fatal alert " + alert.getMessage(); // BC's message already names the alert
        } else {
            what = String.valueOf(cause.getMessage());
        }
        return "DTLS handshake failed (" + role.name().toLowerCase(Locale.ROOT) + " role): " + what;
    }
}
