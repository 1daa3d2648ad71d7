package org.huisclos.registry;

import java.io.Serializable;

/** A room in the registry, under its room key (never its name): the media node that hosts it. */
public record RoomRecord(String nodeId, long createdMillis) implements Serializable {
}
