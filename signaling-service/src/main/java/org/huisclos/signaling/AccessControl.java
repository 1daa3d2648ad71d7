package org.huisclos.signaling;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.Callable;
import org.huisclos.contract.Addresses;
import org.huisclos.contract.ParticipantMessage;
import org.huisclos.contract.RoomEvent;
import org.huisclos.contract.SignalingCodec;

/**
 * Who may enter a room and what its moderator may do (docs/protocol.md, Moderation, password and
 * lobby). The settings live in a {@link RoomAccess} (the registry in a cluster); commands to
 * another participant travel on the event bus to its address, so they reach it on whichever
 * signaling instance holds it. Registry calls run off the event loop, Argon2 on a small pool of its
 * own ({@link PasswordWork}). Nothing here is logged. Confined to the signaling event loop.
 */
final class AccessControl {
    /** Not error codes: how a lobby wait ends without admission. */
    static final String REFUSED = "refused";
    static final String CANCELLED = "cancelled";
    /** {@code set-password}s with a password, per room and minute (docs/configuration.md, Fixed limits). */
    static final int PASSWORD_CHANGES_PER_MINUTE = 3;

    private final Vertx vertx;
    private final EventBus eventBus;
    private final RoomAccess access;
    /** Wrong guesses per room: they stop only clients that guessed wrong themselves lately. */
    private final GuessLimiter roomGuesses = new GuessLimiter();
    /** Guesses per client (keyed address hash), counted wrong until verified right. */
    private final GuessLimiter clientGuesses = new GuessLimiter();
    private final GuessLimiter passwordChanges = new GuessLimiter(PASSWORD_CHANGES_PER_MINUTE, 60_000);
    private final PasswordWork passwords;
    private final DeliveryOptions options = new DeliveryOptions().setSendTimeout(5_000);

    private final JwtVerifier jwt;
    private final boolean jwtRequired;

    AccessControl(Vertx vertx, RoomAccess access) {
        this(vertx, access, null, false);
    }

    AccessControl(Vertx vertx, RoomAccess access, JwtVerifier jwt, boolean jwtRequired) {
        this.jwt = jwt;
        this.jwtRequired = jwtRequired;
        this.vertx = vertx;
        this.eventBus = vertx.eventBus();
        this.access = access;
        this.passwords = new PasswordWork(vertx);
    }

    /** Stops the password pool's threads. */
    void close() {
        passwords.close();
    }

    private <T> Future<T> blocking(Callable<T> work) {
        return vertx.executeBlocking(work, false);
    }

    /**
     * The door of a room: checks the password (rate-limited per client address and, for clients
     * that guessed wrong lately, per room), then waits in the lobby if it is on. {@code client} is
     * the client's keyed address hash. Completes with the participant id to join under.
     */
    Future<String> enter(ClientSession session, String roomKey, String name, String password, String client) {
        return enter(session, roomKey, name, password, null, client);
    }

    /**
     * As above, with the member's sign-in token (null: none). A token given is checked whenever
     * sign-in is configured (a bad one is refused with {@code bad-token}); when sign-in is required
     * to open rooms, a join without a valid token to a room that does not exist yet is refused with
     * {@code sign-in-required}. Joining an existing room never needs a token.
     */
    Future<String> enter(ClientSession session, String roomKey, String name, String password, String token,
                         String client) {
        boolean signedIn = false;
        if (jwt != null && token != null) {
            try {
                jwt.verify(token, System.currentTimeMillis() / 1000);
                signedIn = true;
            } catch (JwtVerifier.BadToken e) {
                return Future.failedFuture(new ProtocolError(ClientMessages.BAD_TOKEN, e.reason()));
            }
        }
        Future<Boolean> allowed = !jwtRequired || signedIn ? Future.succeededFuture(true)
                : blocking(() -> access.exists(roomKey));
        return allowed.compose(ok -> ok ? Future.succeededFuture() : Future.<Void>failedFuture(new ProtocolError(
                ClientMessages.SIGN_IN_REQUIRED, "only a signed-in member may open a new room; sign in, or join once a member is in it")))
                .compose(v -> blocking(() -> access.state(roomKey))).compose(state -> {
            if (state.passwordHash() == null) {
                return Future.succeededFuture(state);
            }
            if (password == null || password.isEmpty()) {
                return Future.failedFuture(new ProtocolError(ClientMessages.PASSWORD_REQUIRED,
                        "this room is protected by a password; enter it to join"));
            }
            long now = System.currentTimeMillis();
            long clientWait = clientGuesses.retryAfterMillis(client, now);
            // A client without a recent wrong guess is always heard: strangers cannot lock members out.
            long roomWait = clientGuesses.count(client, now) > 0 ? roomGuesses.retryAfterMillis(roomKey, now) : 0;
            if (clientWait > 0 || roomWait > 0) {
                long seconds = (Math.max(clientWait, roomWait) + 999) / 1000;
                return Future.failedFuture(new ProtocolError(ClientMessages.TOO_MANY_ATTEMPTS,
                        "too many wrong passwords; try again in " + seconds + " s", seconds,
                        clientWait > 0 ? "client" : "room"));
            }
            // Counted as wrong until proven right, so that a client's guesses checked in parallel cannot pass its limit.
            clientGuesses.failed(client, now);
            return passwords.verify(password, state.passwordHash()).compose(ok -> {
                if (ok) {
                    clientGuesses.forgive(client, now);
                    return Future.succeededFuture(state);
                }
                roomGuesses.failed(roomKey, System.currentTimeMillis());
                return Future.failedFuture(new ProtocolError(ClientMessages.WRONG_PASSWORD,
                        "that is not this room's password; check it and try again"));
            }, busy -> {
                clientGuesses.forgive(client, now); // not checked: not a guess
                return Future.failedFuture(busy);
            });
        }).compose(state -> {
            String id = Credentials.newParticipantId();
            if (!state.lobby() || state.moderator() == null) {
                return Future.succeededFuture(id);
            }
            LobbyWait wait = new LobbyWait(eventBus, this, id, roomKey, name, state.moderator());
            session.waiting(wait);
            return wait.start(session);
        });
    }

    /** A lobby's moderator is gone for good: clear it so that the room can go on. True if cleared. */
    Future<Boolean> moderatorGone(String roomKey, String moderator) {
        return blocking(() -> access.replaceModerator(roomKey, moderator, null)).onSuccess(cleared -> {
            if (cleared) {
                eventBus.publish(Addresses.room(roomKey), SignalingCodec.encode(new RoomEvent.Moderator(null)));
            }
        });
    }

    /** The participant is in: it becomes the moderator if the room has none; its client learns the settings. */
    void entered(Participant p, ClientSession session) {
        blocking(() -> access.claimModerator(p.roomKey, p.id)).onSuccess(state -> {
            tell(p, session, state);
            if (state.moderator() != null && !state.moderator().equals(p.id)) {
                checkModeratorAlive(p, state.moderator());
            }
        });
    }

    /**
     * A moderator nobody holds any more (its instance died and it never resumed) would leave the
     * room without one for good: the newcomer asks its address, and if no instance consumes it,
     * takes moderation over (atomically, only from that moderator).
     */
    private void checkModeratorAlive(Participant p, String moderator) {
        eventBus.request(Addresses.participant(moderator), SignalingCodec.encode(new ParticipantMessage.ModeratorPing()), options)
                .onFailure(e -> {
                    if (e instanceof io.vertx.core.eventbus.ReplyException r
                            && r.failureType() == io.vertx.core.eventbus.ReplyFailure.NO_HANDLERS) {
                        blocking(() -> access.replaceModerator(p.roomKey, moderator, p.id)).onSuccess(done -> {
                            if (done) {
                                eventBus.publish(Addresses.room(p.roomKey), SignalingCodec.encode(new RoomEvent.Moderator(p.id)));
                            }
                        });
                    }
                });
    }

    /** After a resume the client gets the room's settings again. */
    void resumed(Participant p, ClientSession session) {
        blocking(() -> access.state(p.roomKey)).onSuccess(state -> tell(p, session, state));
    }

    private static void tell(Participant p, ClientSession session, RoomAccess.State state) {
        p.moderator = state.moderator();
        session.send(ClientMessages.moderator(state.moderator()));
        session.send(ClientMessages.roomSettings(state));
    }

    /** The participant leaves for good: if it moderated, the longest-present other one takes over. */
    void left(Participant p) {
        // Asked of the registry every time (it changes nothing unless p moderates): a participant
        // handed over from a stopped instance may not know yet that it moderates.
        String next = p.successor();
        blocking(() -> access.replaceModerator(p.roomKey, p.id, next)).onSuccess(done -> {
            if (done) {
                eventBus.publish(Addresses.room(p.roomKey), SignalingCodec.encode(new RoomEvent.Moderator(next)));
            }
        });
    }

    /** A moderator's command from {@code me}; fails with a {@link ProtocolError} to send back. */
    Future<Void> command(Participant me, String type, JsonObject message) throws ProtocolError {
        switch (type) {
            case ClientMessages.MUTE_PARTICIPANT -> {
                String target = ClientMessages.string(message, "participant");
                return requireModerator(me).compose(v -> requireKnown(me, target))
                        .compose(v -> request(target, new ParticipantMessage.MuteRequest(me.id)));
            }
            case ClientMessages.REMOVE_PARTICIPANT -> {
                String target = ClientMessages.string(message, "participant");
                // The lobby turns on first: the removed one cannot simply join again.
                return requireModerator(me).compose(v -> requireKnown(me, target))
                        .compose(v -> settings(me, () -> access.setLobby(me.roomKey, me.id, true)))
                        .compose(v -> request(target, new ParticipantMessage.Remove(me.id)));
            }
            case ClientMessages.HAND_OVER -> {
                String target = ClientMessages.string(message, "participant");
                return requireModerator(me).compose(v -> requireKnown(me, target))
                        .compose(v -> blocking(() -> access.replaceModerator(me.roomKey, me.id, target)))
                        .compose(done -> {
                            if (!done) {
                                return Future.failedFuture(notModerator());
                            }
                            eventBus.publish(Addresses.room(me.roomKey), SignalingCodec.encode(new RoomEvent.Moderator(target)));
                            return Future.succeededFuture();
                        });
            }
            case ClientMessages.SET_PASSWORD -> {
                String password = ClientMessages.string(message, "password");
                if (password.codePointCount(0, password.length()) > Passwords.MAX_LENGTH) {
                    throw new ProtocolError(ClientMessages.BAD_MESSAGE,
                            "field 'password' has at most " + Passwords.MAX_LENGTH + " characters");
                }
                return requireModerator(me)
                        .compose(v -> password.isEmpty() ? Future.succeededFuture((String) null) : hash(me.roomKey, password))
                        .compose(hash -> settings(me, () -> access.setPasswordHash(me.roomKey, me.id, hash)));
            }
            case ClientMessages.LOBBY -> {
                boolean on = ClientMessages.bool(message, "on");
                return settings(me, () -> access.setLobby(me.roomKey, me.id, on));
            }
            case ClientMessages.ADMIT, ClientMessages.REFUSE -> {
                String target = ClientMessages.string(message, "participant");
                return requireModerator(me).compose(v -> request(target, ClientMessages.ADMIT.equals(type)
                                ? new ParticipantMessage.Admit() : new ParticipantMessage.Refuse()))
                        .onComplete(done -> me.knockHandled(target));
            }
            default -> throw new IllegalStateException("not a moderator command: " + type);
        }
    }

    /** A new password's hash, at most {@link #PASSWORD_CHANGES_PER_MINUTE} per room and minute. */
    private Future<String> hash(String roomKey, String password) {
        long now = System.currentTimeMillis();
        long wait = passwordChanges.retryAfterMillis(roomKey, now);
        if (wait > 0) {
            long seconds = (wait + 999) / 1000;
            return Future.failedFuture(new ProtocolError(ClientMessages.RATE_LIMITED, "the password was set "
                    + PASSWORD_CHANGES_PER_MINUTE + " times within a minute; try again in " + seconds + " s",
                    seconds, "set-password"));
        }
        passwordChanges.failed(roomKey, now);
        return passwords.hash(password).onFailure(busy -> passwordChanges.forgive(roomKey, now));
    }

    private Future<Void> settings(Participant me, Callable<java.util.Optional<RoomAccess.State>> change) {
        return blocking(change).compose(after -> {
            if (after.isEmpty()) {
                return Future.failedFuture(notModerator());
            }
            eventBus.publish(Addresses.room(me.roomKey), SignalingCodec.encode(new RoomEvent.Settings(after.get().lobby(),
                    after.get().passwordHash() != null)));
            return Future.succeededFuture();
        });
    }

    private Future<Void> requireModerator(Participant me) {
        return blocking(() -> access.state(me.roomKey)).compose(state -> me.id.equals(state.moderator())
                ? Future.succeededFuture() : Future.failedFuture(notModerator()));
    }

    private static Future<Void> requireKnown(Participant me, String target) {
        return me.knows(target) ? Future.succeededFuture() : Future.failedFuture(unknown());
    }

    private Future<Void> request(String target, ParticipantMessage body) {
        return eventBus.request(Addresses.participant(target), SignalingCodec.encode(body), options)
                .<Void>mapEmpty().recover(e -> Future.failedFuture(unknown()));
    }

    private static ProtocolError notModerator() {
        return new ProtocolError(ClientMessages.NOT_MODERATOR, "only the room's moderator can do that");
    }

    private static ProtocolError unknown() {
        return new ProtocolError(ClientMessages.UNKNOWN_PARTICIPANT,
                "no such participant in this room (they may have left)");
    }
}
