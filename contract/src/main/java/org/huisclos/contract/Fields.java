package org.huisclos.contract;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Reading the fields of a message, for the codecs: each failure is a {@link BadMessage} naming the field. */
final class Fields {
    private Fields() {
    }

    static JsonObject object(Object body, String what) throws BadMessage {
        if (!(body instanceof JsonObject json)) {
            throw new BadMessage(what + " is a JSON object");
        }
        Object version = json.getValue(MediaRequest.PROTOCOL);
        if (version != null && !(version instanceof Number n && n.intValue() >= 1 && n.intValue() <= MediaCodec.PROTOCOL_VERSION)) {
            throw new BadMessage("protocol version " + version + " is not supported (this node speaks up to "
                    + MediaCodec.PROTOCOL_VERSION + ")");
        }
        return json;
    }

    static String string(JsonObject json, String field, String what) throws BadMessage {
        if (!(json.getValue(field) instanceof String s)) {
            throw new BadMessage(what + " needs " + field + " (a string)");
        }
        return s;
    }

    static long number(JsonObject json, String field, String what) throws BadMessage {
        if (!(json.getValue(field) instanceof Number n)) {
            throw new BadMessage(what + " needs " + field + " (a number)");
        }
        return n.longValue();
    }

    static JsonArray array(JsonObject json, String field, String what) throws BadMessage {
        if (!(json.getValue(field) instanceof JsonArray list)) {
            throw new BadMessage(what + " needs " + field + " (a list)");
        }
        return list;
    }

    static boolean bool(JsonObject json, String field, String what) throws BadMessage {
        if (!(json.getValue(field) instanceof Boolean b)) {
            throw new BadMessage(what + " needs " + field + " (true or false)");
        }
        return b;
    }

    /** A string, or null when the field is absent or null. */
    static String optionalString(JsonObject json, String field, String what) throws BadMessage {
        Object value = json.getValue(field);
        if (value != null && !(value instanceof String)) {
            throw new BadMessage(what + ": " + field + " must be a string");
        }
        return (String) value;
    }
}
