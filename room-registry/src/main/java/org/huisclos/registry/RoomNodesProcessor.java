package org.huisclos.registry;

import com.hazelcast.map.EntryProcessor;
import java.util.List;
import java.util.Map;

/**
 * Atomic changes to the set of nodes a room spans, run on the partition that owns the room key.
 * <ul>
 * <li>{@code SWAP}: compare-and-set. When the room's nodes are still {@code expected} (empty: no
 * record), they become {@code next} (a new record when there was none). Returns the record after
 * the call; a caller that finds other nodes than {@code next} in it lost a race and decides again.
 * <li>{@code REMOVE}: the node of {@code next}'s only element has no participant of the room any
 * more. The record goes when no node is left, and with it the room's access settings. Returns the
 * record after, or null.
 * </ul>
 */
final class RoomNodesProcessor implements EntryProcessor<String, RoomRecord, RoomRecord> {
    private static final long serialVersionUID = 1L;

    enum Kind { SWAP, REMOVE }

    private final Kind kind;
    private final List<String> expected;
    private final List<String> next;
    private final long nowMillis;

    private RoomNodesProcessor(Kind kind, List<String> expected, List<String> next, long nowMillis) {
        this.kind = kind;
        this.expected = expected;
        this.next = next;
        this.nowMillis = nowMillis;
    }

    static RoomNodesProcessor swap(List<String> expected, List<String> next, long nowMillis) {
        return new RoomNodesProcessor(Kind.SWAP, List.copyOf(expected), List.copyOf(next), nowMillis);
    }

    static RoomNodesProcessor remove(String nodeId) {
        return new RoomNodesProcessor(Kind.REMOVE, List.of(), List.of(nodeId), 0);
    }

    @Override
    public RoomRecord process(Map.Entry<String, RoomRecord> entry) {
        RoomRecord r = entry.getValue();
        if (kind == Kind.REMOVE) {
            if (r == null || !r.spans(next.get(0))) {
                return r;
            }
            RoomRecord after = r.without(next);
            entry.setValue(after.nodes().isEmpty() ? null : after);
            return after.nodes().isEmpty() ? null : after;
        }
        List<String> current = r == null ? List.of() : r.nodes();
        if (!current.equals(expected)) {
            return r;
        }
        RoomRecord after = r == null ? new RoomRecord(next, nowMillis, null, null, false) : r.withNodes(next);
        entry.setValue(after);
        return after;
    }
}
