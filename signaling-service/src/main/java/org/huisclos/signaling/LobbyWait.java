package org.huisclos.signaling;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import org.huisclos.contract.Addresses;
import org.huisclos.contract.BadMessage;
import org.huisclos.contract.MediaCodec;
import org.huisclos.contract.ParticipantMessage;
import org.huisclos.contract.RoomEvent;
import org.huisclos.contract.SignalingCodec;

/**
 * A client waiting in a room's lobby, under the participant id it will have once admitted. It
 * knocks at the moderator's address (whichever instance holds the moderator) and listens on its
 * own address for {@code admit} / {@code refuse}, and on the room's address — without passing
 * anything to its client, who must learn nothing of the room before admission — for a new moderator
 * (it knocks again there) or the lobby being turned off (it goes in). Nothing is allocated at a
 * media node meanwhile. Confined to the signaling event loop.
 */
final class LobbyWait {
    private final EventBus eventBus;
    private final AccessControl access;
    private final String id;
    private final String roomKey;
    private final String name;
    private String moderator;
    private final Promise<String> outcome = Promise.promise();
    private final DeliveryOptions options = new DeliveryOptions().setSendTimeout(5_000);
    private MessageConsumer<Object> own;
    private MessageConsumer<Object> room;
    private boolean done;

    LobbyWait(EventBus eventBus, AccessControl access, String id, String roomKey, String name, String moderator) {
        this.eventBus = eventBus;
        this.access = access;
        this.id = id;
        this.roomKey = roomKey;
        this.name = name;
        this.moderator = moderator;
    }

    /** Completes with the participant id once admitted; fails with code {@code refused}, or on {@link #cancel()}. */
    Future<String> start(ClientSession session) {
        own = eventBus.consumer(Addresses.participant(id), this::onDirect);
        room = eventBus.consumer(Addresses.room(roomKey), this::onRoomEvent);
        Future.all(own.completion(), room.completion()).onComplete(r -> {
            if (done) {
                return;
            }
            session.send(ClientMessages.lobby());
            knock();
        });
        return outcome.future();
    }

    /** The client left the lobby (leave, or its socket closed): the moderator's notice goes away. */
    void cancel() {
        if (finish()) {
            own.unregister();
            room.unregister();
            eventBus.send(Addresses.participant(moderator),
                    SignalingCodec.encode(new ParticipantMessage.KnockCancelled(id)));
            outcome.tryFail(new ProtocolError(AccessControl.CANCELLED, "left the lobby"));
        }
    }

    private void knock() {
        String to = moderator;
        eventBus.request(Addresses.participant(to), SignalingCodec.encode(new ParticipantMessage.Knock(id, name)), options)
                .onFailure(e -> {
            if (!done && to.equals(moderator) && e instanceof ReplyException r && r.failureType() == ReplyFailure.NO_HANDLERS) {
                // The moderator is gone for good (nobody holds it): nobody could ever admit us.
                access.moderatorGone(roomKey, to).onSuccess(cleared -> {
                    if (cleared) {
                        admitted();
                    }
                });
            }
        });
    }

    private void onDirect(Message<Object> message) {
        ParticipantMessage m;
        try {
            m = SignalingCodec.decodeParticipantMessage(message.body());
        } catch (BadMessage bad) {
            if (message.replyAddress() != null) {
                message.fail(bad.code, bad.getMessage());
            }
            return;
        }
        if (m instanceof ParticipantMessage.Admit) {
            message.reply(MediaCodec.ok());
            admitted();
        } else if (m instanceof ParticipantMessage.Refuse) {
            message.reply(MediaCodec.ok());
            if (finish()) {
                Future.all(own.unregister(), room.unregister()).onComplete(r ->
                        outcome.tryFail(new ProtocolError(AccessControl.REFUSED, "the moderator did not let you in")));
            }
        } else if (message.replyAddress() != null) {
            message.fail(409, "waiting in the lobby");
        }
    }

    private void onRoomEvent(Message<Object> message) {
        RoomEvent event;
        try {
            event = SignalingCodec.decodeRoomEvent(message.body());
        } catch (BadMessage bad) {
            return;
        }
        if (event instanceof RoomEvent.Moderator m) {
            String next = m.participant();
            if (next == null) {
                admitted(); // nobody moderates any more: the lobby has nobody to open it
            } else if (!next.equals(moderator)) {
                moderator = next;
                knock();
            }
        } else if (event instanceof RoomEvent.Settings settings && !settings.lobby()) {
            admitted();
        }
    }

    private void admitted() {
        if (finish()) {
            // Unregister first, so that the participant's own consumer of this address is the only one.
            Future.all(own.unregister(), room.unregister()).onComplete(r -> outcome.tryComplete(id));
        }
    }

    /** True the first time: the wait ends now. */
    private boolean finish() {
        if (done) {
            return false;
        }
        done = true;
        return true;
    }
}
