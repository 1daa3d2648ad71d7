package org.huisclos.signaling;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.huisclos.contract.MediaRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.huisclos.contract.NodeMessage;
import org.huisclos.contract.RoomEvent;
import org.huisclos.turn.TurnCredentials;

/**
 * The wire side of docs/protocol.md: decoding and checking client frames, and building the
 * server's replies. Every check failure is a {@link ProtocolError} carrying the documented code.
 */
final class ClientMessages {
    /** Largest frame the protocol accepts; larger ones get {@code too-large}. */
    static final int MAX_FRAME_BYTES = 64 * 1024;
    static final int MAX_DISPLAY_NAME = 64;

    // Client message types.
    static final String JOIN = "join";
    static final String ANSWER = "answer";
    static final String MUTE = "mute";
    static final String LEAVE = "leave";
    static final String RESUME = "resume";
    static final String PING = "ping";
    /** How the page shows the videos it receives (docs/protocol.md): the media node picks simulcast layers by it. */
    static final String VIEW = "view";
    // Moderation and access (docs/protocol.md, Moderation).
    static final String MUTE_PARTICIPANT = "mute-participant";
    static final String REMOVE_PARTICIPANT = "remove-participant";
    static final String HAND_OVER = "hand-over";
    static final String SET_PASSWORD = "set-password";
    static final String LOBBY = "lobby";
    static final String ADMIT = "admit";
    static final String REFUSE = "refuse";
    static final Set<String> CLIENT_TYPES = Set.of(JOIN, ANSWER, MUTE, LEAVE, RESUME, PING, VIEW, MUTE_PARTICIPANT,
            REMOVE_PARTICIPANT, HAND_OVER, SET_PASSWORD, LOBBY, ADMIT, REFUSE);

    // Error codes.
    static final String BAD_JSON = "bad-json";
    static final String BAD_MESSAGE = "bad-message";
    static final String UNKNOWN_TYPE = "unknown-type";
    static final String UNSUPPORTED_VERSION = "unsupported-version";
    static final String TOO_LARGE = "too-large";
    static final String BAD_ROOM = "bad-room";
    static final String BAD_NAME = "bad-name";
    static final String ALREADY_JOINED = "already-joined";
    static final String NOT_JOINED = "not-joined";
    static final String STALE_ANSWER = "stale-answer";
    static final String BAD_ANSWER = "bad-answer";
    static final String MEDIA_UNAVAILABLE = "media-unavailable";
    static final String RESUME_FAILED = "resume-failed";
    static final String NOT_MODERATOR = "not-moderator";
    static final String UNKNOWN_PARTICIPANT = "unknown-participant";
    static final String PASSWORD_REQUIRED = "password-required";
    static final String WRONG_PASSWORD = "wrong-password";
    static final String TOO_MANY_ATTEMPTS = "too-many-attempts";
    static final String SIGN_IN_REQUIRED = "sign-in-required";
    static final String BAD_TOKEN = "bad-token";
    static final String RATE_LIMITED = "rate-limited";
    static final String BUSY = "busy";
    static final String ROOM_FULL = "room-full";
    /** Sent without a request: the media node closed the participant's endpoint (docs/protocol.md). */
    static final String MEDIA_FAILED = "media-failed";
    /** Every error code, in docs/protocol.md's order: the only values of the metrics' {@code code} label. */
    static final List<String> ERROR_CODES = List.of(BAD_JSON, BAD_MESSAGE, UNKNOWN_TYPE, UNSUPPORTED_VERSION,
            TOO_LARGE, BAD_ROOM, BAD_NAME, ALREADY_JOINED, NOT_JOINED, STALE_ANSWER, BAD_ANSWER, MEDIA_UNAVAILABLE,
            RESUME_FAILED, NOT_MODERATOR, UNKNOWN_PARTICIPANT, PASSWORD_REQUIRED, WRONG_PASSWORD, TOO_MANY_ATTEMPTS,
            SIGN_IN_REQUIRED, BAD_TOKEN, RATE_LIMITED, ROOM_FULL, BUSY);

    private ClientMessages() {
    }

    /** Decodes one text frame into a message whose {@code type} is a known client type. */
    static JsonObject decode(String frame) throws ProtocolError {
        if (frame.length() > MAX_FRAME_BYTES
                || frame.getBytes(StandardCharsets.UTF_8).length > MAX_FRAME_BYTES) {
            throw new ProtocolError(TOO_LARGE, "the frame exceeds " + MAX_FRAME_BYTES + " bytes");
        }
        Object value;
        try {
            value = Json.decodeValue(frame);
        } catch (DecodeException e) {
            throw new ProtocolError(BAD_JSON, "the frame is not valid JSON");
        }
        if (!(value instanceof JsonObject message)) {
            throw new ProtocolError(BAD_JSON, "the frame is not a JSON object");
        }
        String type = string(message, "type");
        if (!CLIENT_TYPES.contains(type)) {
            throw new ProtocolError(UNKNOWN_TYPE, "unknown message type; expected one of " + CLIENT_TYPES);
        }
        return message;
    }

    /** The message's {@code type} if it is a string, for the {@code request} field of errors. */
    static String typeOf(JsonObject message) {
        return message != null && message.getValue("type") instanceof String s ? s : null;
    }

    static String string(JsonObject message, String field) throws ProtocolError {
        if (message.getValue(field) instanceof String s) {
            return s;
        }
        throw new ProtocolError(BAD_MESSAGE, "field '" + field + "' must be a string");
    }

    static boolean bool(JsonObject message, String field) throws ProtocolError {
        if (message.getValue(field) instanceof Boolean b) {
            return b;
        }
        throw new ProtocolError(BAD_MESSAGE, "field '" + field + "' must be true or false");
    }

    /** A whole number that fits in a long (JSON numbers like 2.0 count, 2.5 does not). */
    static long integer(JsonObject message, String field) throws ProtocolError {
        Object value = message.getValue(field);
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Number n) {
            double d = n.doubleValue();
            if (d == Math.rint(d) && Math.abs(d) < 0x1p53) {
                return (long) d;
            }
        }
        throw new ProtocolError(BAD_MESSAGE, "field '" + field + "' must be an integer");
    }

    /**
     * The {@code heights} of a view: mid to the height in pixels a received video is rendered at (0: not
     * shown), at most {@link MediaRequest#MAX_VIEW_TILES} entries of whole numbers 0..{@link MediaRequest#MAX_VIEW_HEIGHT}.
     */
    static java.util.Map<String, Integer> viewHeights(JsonObject message) throws ProtocolError {
        if (!(message.getValue("heights") instanceof JsonObject heights)) {
            throw new ProtocolError(BAD_MESSAGE, "field 'heights' must be an object of mid to pixels");
        }
        if (heights.size() > MediaRequest.MAX_VIEW_TILES) {
            throw new ProtocolError(BAD_MESSAGE, "field 'heights' has more than " + MediaRequest.MAX_VIEW_TILES + " entries");
        }
        java.util.Map<String, Integer> out = new java.util.HashMap<>();
        for (String mid : heights.fieldNames()) {
            long h;
            try {
                h = integer(heights, mid);
            } catch (ProtocolError e) {
                h = -1;
            }
            if (mid.length() > 16 || h < 0 || h > MediaRequest.MAX_VIEW_HEIGHT) {
                throw new ProtocolError(BAD_MESSAGE, "field 'heights' must map mids (up to 16 characters) to whole"
                        + " numbers 0.." + MediaRequest.MAX_VIEW_HEIGHT);
            }
            out.put(mid, (int) h);
        }
        return out;
    }

    static String roomName(JsonObject message) throws ProtocolError {
        String room = string(message, "room");
        if (!RoomNames.isValid(room)) {
            throw new ProtocolError(BAD_ROOM, "a room name has 1 to 64 characters from A-Z a-z 0-9 - _ .");
        }
        return room;
    }

    static String displayName(JsonObject message) throws ProtocolError {
        String name = string(message, "name");
        int count = name.codePointCount(0, name.length());
        boolean controls = name.codePoints().anyMatch(ClientMessages::isControl);
        if (count < 1 || count > MAX_DISPLAY_NAME || controls || name.isBlank()) {
            throw new ProtocolError(BAD_NAME,
                    "a display name has 1 to " + MAX_DISPLAY_NAME + " characters and no control characters");
        }
        return name;
    }

    private static boolean isControl(int codePoint) {
        int type = Character.getType(codePoint);
        return type == Character.CONTROL || type == Character.SURROGATE
                || codePoint == 0x2028 || codePoint == 0x2029;
    }

    static JsonObject error(String code, String message, String request) {
        JsonObject error = new JsonObject().put("type", "error").put("code", code).put("message", message);
        if (request != null) {
            error.put("request", request);
        }
        return error;
    }

    /** The error reply to {@code request} (null: none): code and message, and what the error adds (docs/protocol.md). */
    static JsonObject error(ProtocolError error, String request) {
        JsonObject reply = error(error.code(), error.getMessage(), request);
        if (error.retryAfterSeconds() > 0) {
            reply.put("retryAfter", error.retryAfterSeconds());
        }
        if (error.reason() != null) {
            reply.put("reason", error.reason());
        }
        if (BAD_TOKEN.equals(error.code())) {
            reply.put("reason", error.getMessage()).put("message", "the sign-in token was refused: " + error.getMessage());
        }
        return reply;
    }

    /** The moderator did not let the waiting client in. */
    static JsonObject refused() {
        return new JsonObject().put("type", "refused");
    }

    static JsonObject joined(String participant, String token, String room) {
        return new JsonObject().put("type", "joined").put("participant", participant)
                .put("token", token).put("room", room);
    }

    /** @param token the participant's next resume token: the one just used no longer resumes */
    static JsonObject resumed(String participant, String token) {
        return new JsonObject().put("type", "resumed").put("participant", participant).put("token", token);
    }

    /** Who in the room holds the floor now (the media node's dominant speaker). */
    static JsonObject speaker(String participant) {
        return new JsonObject().put("type", "speaker").put("participant", participant);
    }

    /** The simulcast layers (rids) of our video that the media node wants encoded; the others may pause. */
    static JsonObject layers(List<String> active) {
        return new JsonObject().put("type", "layers").put("active", new JsonArray(new java.util.ArrayList<Object>(active)));
    }

    static JsonObject left(String participant) {
        return new JsonObject().put("type", "left").put("participant", participant);
    }

    /** Your media moved to another node: close the peer connection and answer the next offer on a new one. */
    /** @param token the participant's new resume token: the old one names the node it left */
    static JsonObject mediaMoved(String token) {
        return new JsonObject().put("type", "media-moved").put("token", token);
    }

    static JsonObject moderator(String participant) {
        return new JsonObject().put("type", "moderator").put("participant", participant);
    }

    /** The room's access settings as every participant sees them (whether a password is set, never which). */
    static JsonObject roomSettings(RoomAccess.State state) {
        return roomSettings(state.lobby(), state.passwordHash() != null);
    }

    static JsonObject roomSettings(boolean lobby, boolean password) {
        return new JsonObject().put("type", "room-settings").put("lobby", lobby).put("password", password);
    }

    /** Another participant as the roster shows it. */
    static JsonObject participant(RoomEvent.Entry e) {
        return new JsonObject().put("type", "participant").put("participant", e.participant()).put("name", e.name())
                .put("audio", e.audio()).put("video", e.video());
    }

    /** To the moderator: {@code participant} waits in the lobby under display name {@code name}. */
    static JsonObject knock(String participant, String name) {
        return new JsonObject().put("type", "knock").put("participant", participant).put("name", name);
    }

    static JsonObject knockCancelled(String participant) {
        return new JsonObject().put("type", "knock-cancelled").put("participant", participant);
    }

    /** The moderator {@code by} turned this participant's audio off. */
    static JsonObject muted(String by) {
        return new JsonObject().put("type", "muted").put("by", by);
    }

    /** The moderator removed this participant; its socket closes next. */
    static JsonObject removed() {
        return new JsonObject().put("type", "removed");
    }

    /** The client waits in the lobby until the moderator admits it. */
    static JsonObject lobby() {
        return new JsonObject().put("type", "lobby");
    }

    /** The offer's {@code iceServers}: RTCIceServer dictionaries, as RTCPeerConnection takes them. */
    static JsonArray iceServers(List<String> urls, TurnCredentials.Credential credential) {
        return new JsonArray().add(new JsonObject().put("urls", new JsonArray(urls))
                .put("username", credential.username()).put("credential", credential.credential()));
    }

    /** A media node's offer as the client gets it: {@code version} counts on across moves (docs/protocol.md). */
    static JsonObject offer(long version, String sdp, List<NodeMessage.Track> tracks) {
        JsonArray list = new JsonArray();
        for (NodeMessage.Track t : tracks) {
            list.add(new JsonObject().put("mid", t.mid()).put("participant", t.participant()).put("kind", t.kind()));
        }
        return new JsonObject().put("type", "offer").put("version", version).put("sdp", sdp).put("tracks", list);
    }

    /** {@code GET /config}: the signaling URLs the web client may use (docs/protocol.md). */
    static JsonObject config(List<String> signalingUrls) {
        return new JsonObject().put("signalingUrls", new JsonArray(signalingUrls));
    }

    /** @param token the participant's fresh resume token, or null outside a room */
    static JsonObject pong(String token) {
        JsonObject pong = new JsonObject().put("type", "pong");
        return token == null ? pong : pong.put("token", token);
    }

    /** An offer as it leaves for the client: with the TURN servers and a credential made now. */
    static JsonObject withIceServers(JsonObject offer, List<String> urls, TurnCredentials.Credential credential) {
        return offer.copy().put("iceServers", iceServers(urls, credential));
    }
}
