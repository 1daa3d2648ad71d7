package org.huisclos.media.forward;

import java.util.ArrayList;
import java.util.List;

/** The endpoints of one room on this node. Changed on the control thread only. */
public final class Room {
    public final String key;
    final List<Endpoint> endpoints = new ArrayList<>();
    /** Relay links to other media nodes that host this room too (org.huisclos.media.relay): not participants. */
    final List<Endpoint> links = new ArrayList<>();

    public Room(String key) {
        this.key = key;
    }

    public List<Endpoint> endpoints() {
        return endpoints;
    }

    public List<Endpoint> links() {
        return links;
    }
}
