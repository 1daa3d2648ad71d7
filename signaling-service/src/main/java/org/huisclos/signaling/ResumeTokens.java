package org.huisclos.signaling;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Resume tokens (docs/protocol.md, Reconnection; docs/cluster-protocol.md). A token is
 * {@code v2.<mac>.<generation>.<expires>.<nodeId>}: {@code mac} is base64url(HMAC-SHA256(session
 * secret, "v2" NUL participant NUL roomKey NUL nodeId NUL generation NUL expires)), {@code expires}
 * the Unix time in milliseconds after which it no longer resumes, {@code generation} the
 * participant's takeover count. Every instance sharing the cluster's secret can check one; the
 * room key is not carried, it comes from the room name the client sends again. A token resumes
 * only while unexpired and only with the participant's current generation: each resume starts the
 * next generation (the client gets the new token in {@code resumed}), so a token that resumed once
 * never does again. Tokens are refreshed (same generation, later expiry) with every {@code pong}.
 * Confined to the signaling event loop.
 */
final class ResumeTokens {
    /** The longest a dead WebSocket may go unnoticed by the server (its idle timeout, 60 s). */
    static final Duration IDLE_SLACK = Duration.ofSeconds(60);

    /** A token whose MAC checked out. */
    record Checked(String nodeId, long generation, long expires) {
    }

    private final byte[] secret;
    private long lifetimeMillis;

    ResumeTokens(byte[] secret, Duration lifetime) {
        this.secret = secret.clone();
        lifetime(lifetime);
    }

    /** The lifetime of a token: the grace period plus {@link #IDLE_SLACK}. */
    static Duration lifetimeFor(Duration gracePeriod) {
        return gracePeriod.plus(IDLE_SLACK);
    }

    /** Tokens issued from now on last {@code lifetime}, or when null {@link #lifetimeFor} the grace period. */
    void lifetime(Duration lifetime, Duration gracePeriod) {
        lifetime(lifetime != null ? lifetime : lifetimeFor(gracePeriod));
    }

    private void lifetime(Duration lifetime) {
        if (lifetime.isNegative() || lifetime.isZero()) {
            throw new IllegalArgumentException("the resume token lifetime must be positive");
        }
        this.lifetimeMillis = lifetime.toMillis();
    }

    /** A fresh token of that participant, room key, node and generation, expiring one lifetime from now. */
    String issue(String participantId, String roomKey, String nodeId, long generation) {
        long expires = System.currentTimeMillis() + lifetimeMillis;
        return "v2." + mac(participantId, roomKey, nodeId, generation, expires) + "." + generation + "." + expires
                + "." + nodeId;
    }

    /** A fresh token of the participant as it is now (its node, its generation). */
    String issue(Participant p) {
        return issue(p.id, p.roomKey, p.nodeId, p.generation);
    }

    /** The token was issued under this secret for that participant and room (expired or not), or null. */
    Checked signed(String participantId, String roomKey, String token) {
        String[] parts = token.split("\\.", 5);
        if (parts.length != 5 || !parts[0].equals("v2") || !parts[2].matches("[0-9]{1,18}")
                || !parts[3].matches("[0-9]{1,18}") || !parts[4].matches("[A-Za-z0-9_.-]{1,64}")) {
            return null;
        }
        long generation = Long.parseLong(parts[2]);
        long expires = Long.parseLong(parts[3]);
        String expected = mac(participantId, roomKey, parts[4], generation, expires);
        if (!java.security.MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                parts[1].getBytes(StandardCharsets.UTF_8))) {
            return null;
        }
        return new Checked(parts[4], generation, expires);
    }

    /**
     * Checks a token offered to resume: issued for that participant and room, and not expired.
     * Fails with {@code resume-failed} (reason {@code invalid} or {@code expired}).
     */
    Checked check(String participantId, String roomKey, String token) throws ProtocolError {
        Checked t = signed(participantId, roomKey, token);
        if (t == null) {
            throw invalid();
        }
        if (System.currentTimeMillis() > t.expires()) {
            throw expired();
        }
        return t;
    }

    /** Checks a token offered to resume a participant held here: also of its current generation. */
    void checkHeld(Participant p, String token) throws ProtocolError {
        if (check(p.id, p.roomKey, token).generation() != p.generation) {
            throw used();
        }
    }

    /** After a resume: the participant's next generation, and its token (the one its client gets). */
    void renew(Participant p) {
        p.generation++;
        p.token = issue(p);
    }

    /** The participant's token with a later expiry, same generation (sent with {@code pong}). */
    String refresh(Participant p) {
        p.token = issue(p);
        return p.token;
    }

    static ProtocolError invalid() {
        return new ProtocolError(ClientMessages.RESUME_FAILED, "you are no longer in the meeting; join again",
                "invalid");
    }

    static ProtocolError expired() {
        return new ProtocolError(ClientMessages.RESUME_FAILED,
                "your resume token has expired; join again", "expired");
    }

    static ProtocolError used() {
        return new ProtocolError(ClientMessages.RESUME_FAILED,
                "this resume token was used already (a later resume took the session); join again", "used");
    }

    private String mac(String participantId, String roomKey, String nodeId, long generation, long expires) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            byte[] tag = mac.doFinal(String.join("\0", "v2", participantId, roomKey, nodeId,
                    Long.toString(generation), Long.toString(expires)).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(tag);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }
}
