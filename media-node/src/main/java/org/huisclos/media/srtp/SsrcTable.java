package org.huisclos.media.srtp;

/**
 * SSRC to {@link SsrcState}, open addressing with linear probing. A context sees a handful of SSRCs, and the
 * same one many times in a row, so a one-entry cache sits in front. Allocates only when an SSRC is added.
 */
final class SsrcTable {
    private int[] keys = new int[16];
    private SsrcState[] states = new SsrcState[16];
    private int size;
    private SsrcState last;

    SsrcState get(int ssrc) {
        SsrcState cached = last;
        if (cached != null && cached.ssrc == ssrc) {
            return cached;
        }
        int mask = keys.length - 1;
        for (int i = slot(ssrc, mask); ; i = (i + 1) & mask) {
            SsrcState s = states[i];
            if (s == null) {
                return null;
            }
            if (keys[i] == ssrc) {
                last = s;
                return s;
            }
        }
    }

    SsrcState getOrAdd(int ssrc) {
        SsrcState s = get(ssrc);
        return s != null ? s : add(ssrc);
    }

    int size() {
        return size;
    }

    private SsrcState add(int ssrc) {
        if ((size + 1) * 2 > keys.length) {
            grow();
        }
        SsrcState s = new SsrcState(ssrc);
        insert(keys, states, s);
        size++;
        last = s;
        return s;
    }

    private void grow() {
        int[] newKeys = new int[keys.length * 2];
        SsrcState[] newStates = new SsrcState[keys.length * 2];
        for (SsrcState s : states) {
            if (s != null) {
                insert(newKeys, newStates, s);
            }
        }
        keys = newKeys;
        states = newStates;
    }

    private static void insert(int[] keys, SsrcState[] states, SsrcState s) {
        int mask = keys.length - 1;
        int i = slot(s.ssrc, mask);
        while (states[i] != null) {
            i = (i + 1) & mask;
        }
        keys[i] = s.ssrc;
        states[i] = s;
    }

    /** SSRCs are random but attackers may choose them; a multiplicative hash spreads sequential ones. */
    private static int slot(int ssrc, int mask) {
        int h = ssrc * 0x9E3779B9;
        return (h ^ (h >>> 16)) & mask;
    }
}
