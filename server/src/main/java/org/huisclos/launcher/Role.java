package org.huisclos.launcher;

/** What one Huisclos process does (HUISCLOS_ROLE). Every role is a member of the registry's cluster. */
public enum Role {
    /** Everything in one process: the default, for one VPS. */
    ALL,
    /** The HTTP server, the web client and the client protocol. */
    SIGNALING,
    /** One media node (the SFU). */
    MEDIA,
    /** Only a registry member: keeps the cluster's state for larger deployments. */
    REGISTRY;

    boolean runsSignaling() {
        return this == ALL || this == SIGNALING;
    }

    boolean runsMedia() {
        return this == ALL || this == MEDIA;
    }

    static Role parse(String value) {
        for (Role r : values()) {
            if (r.name().equalsIgnoreCase(value)) {
                return r;
            }
        }
        throw new Settings.Invalid("HUISCLOS_ROLE must be one of all, signaling, media, registry; got '" + value + "'");
    }
}
