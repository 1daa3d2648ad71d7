package org.huisclos.signaling;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a fuzz target leaves its execution count for {@code ./huisclos fuzz} (as media-node's
 * org.huisclos.media.fuzz.FuzzStats): written from the target's {@code @AfterAll} when it was fuzzed
 * (JAZZER_FUZZ set), into the directory the system property {@code huisclos.fuzz.stats} names.
 */
final class FuzzStats {
    private FuzzStats() {
    }

    static void write(Class<?> target, long executions) throws IOException {
        String dir = System.getProperty("huisclos.fuzz.stats");
        if (dir == null || System.getenv("JAZZER_FUZZ") == null) {
            return;
        }
        Files.createDirectories(Path.of(dir));
        Files.writeString(Path.of(dir, target.getSimpleName() + ".executions"), executions + "\n");
    }
}
