package org.huisclos.media.forward;

import java.util.Arrays;

/**
 * A map from long keys to values for the per-packet path: lookups read an immutable snapshot
 * (open addressing, linear probing) without locks, boxing or allocation; writes, which happen
 * when participants come and go, copy the snapshot under a lock.
 */
final class LongKeyedTable<V> {
    private static final class Snapshot {
        final long[] keys;
        final Object[] values;
        final int size;

        Snapshot(int capacity, int size) {
            this.keys = new long[capacity];
            this.values = new Object[capacity];
            this.size = size;
        }
    }

    private volatile Snapshot snapshot = new Snapshot(16, 0);

    @SuppressWarnings("unchecked")
    V get(long key) {
        Snapshot s = snapshot;
        int mask = s.keys.length - 1;
        for (int i = slot(key, mask); ; i = (i + 1) & mask) {
            Object v = s.values[i];
            if (v == null) {
                return null;
            }
            if (s.keys[i] == key) {
                return (V) v;
            }
        }
    }

    /** Checks a candidate value against what the caller looks for (no capture: no allocation per lookup). */
    interface Match<V, A> {
        boolean matches(V value, A wanted);
    }

    /**
     * The first value under {@code key} that {@code match} accepts for {@code wanted}, or null: for
     * keys that several values may share (a hash of something longer than a long).
     */
    @SuppressWarnings("unchecked")
    <A> V find(long key, Match<V, A> match, A wanted) {
        Snapshot s = snapshot;
        int mask = s.keys.length - 1;
        for (int i = slot(key, mask); ; i = (i + 1) & mask) {
            Object v = s.values[i];
            if (v == null) {
                return null;
            }
            if (s.keys[i] == key && match.matches((V) v, wanted)) {
                return (V) v;
            }
        }
    }

    /**
     * Adds {@code value} under {@code key} beside the values already there, but for those that
     * {@code match} accepts for {@code wanted}, which it replaces (and the same value twice).
     */
    synchronized <A> void add(long key, V value, Match<V, A> match, A wanted) {
        Snapshot old = snapshot;
        int capacity = old.keys.length;
        while ((old.size + 1) * 2 > capacity) {
            capacity <<= 1;
        }
        Snapshot next = new Snapshot(capacity, 0);
        int size = 0;
        for (int i = 0; i < old.keys.length; i++) {
            @SuppressWarnings("unchecked")
            V v = (V) old.values[i];
            if (v != null && !(old.keys[i] == key && (v == value || match.matches(v, wanted)))) {
                insert(next, old.keys[i], v);
                size++;
            }
        }
        insert(next, key, value);
        snapshot = copyWithSize(next, size + 1);
    }

    /** Maps {@code key} to {@code value} alone: whatever else was under the key goes. */
    synchronized void put(long key, V value) {
        add(key, value, (v, wanted) -> true, null);
    }

    /** Removes {@code value} under {@code key}, if it is there (another owner may have taken the key since). */
    synchronized void remove(long key, V value) {
        Snapshot old = snapshot;
        boolean present = false;
        for (int i = 0; i < old.keys.length; i++) {
            if (old.values[i] == value && old.keys[i] == key) {
                present = true;
                break;
            }
        }
        if (!present) {
            return;
        }
        Snapshot next = new Snapshot(old.keys.length, 0);
        int size = 0;
        for (int i = 0; i < old.keys.length; i++) {
            if (old.values[i] != null && !(old.keys[i] == key && old.values[i] == value)) {
                insert(next, old.keys[i], old.values[i]);
                size++;
            }
        }
        snapshot = copyWithSize(next, size);
    }

    int size() {
        return snapshot.size;
    }

    private static Snapshot copyWithSize(Snapshot s, int size) {
        Snapshot sized = new Snapshot(s.keys.length, size);
        System.arraycopy(s.keys, 0, sized.keys, 0, s.keys.length);
        System.arraycopy(s.values, 0, sized.values, 0, s.values.length);
        return sized;
    }

    private static void insert(Snapshot s, long key, Object value) {
        int mask = s.keys.length - 1;
        int i = slot(key, mask);
        while (s.values[i] != null) {
            i = (i + 1) & mask;
        }
        s.keys[i] = key;
        s.values[i] = value;
    }

    private static int slot(long key, int mask) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }

    @Override
    public String toString() {
        return "LongKeyedTable" + Arrays.toString(snapshot.keys);
    }
}
