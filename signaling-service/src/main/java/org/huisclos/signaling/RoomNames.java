package org.huisclos.signaling;

import java.util.regex.Pattern;

/** Room names as people type them: 1–64 characters of {@code A-Z a-z 0-9 - _ .}. */
final class RoomNames {
    static final String PATTERN = "[A-Za-z0-9._-]{1,64}";
    private static final Pattern VALID = Pattern.compile(PATTERN);

    private RoomNames() {
    }

    static boolean isValid(String name) {
        return name != null && VALID.matcher(name).matches();
    }
}
