package org.huisclos.registry;

/** SERVING nodes take new rooms; DRAINING nodes keep theirs until they are moved, then stop. */
public enum NodeState {
    SERVING,
    DRAINING
}
