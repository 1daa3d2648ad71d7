package org.huisclos.media.fuzz;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a fuzz target leaves its execution count for {@code ./huisclos fuzz}: each *FuzzTargetTest
 * counts the inputs it ran and writes the count from its {@code @AfterAll}, when it was fuzzed
 * (JAZZER_FUZZ set, as the fuzz execution of surefire does), into the directory named by the system
 * property {@code huisclos.fuzz.stats} (target/fuzz-stats/), one file per target.
 */
public final class FuzzStats {
    private FuzzStats() {
    }

    public static void write(Class<?> target, long executions) throws IOException {
        String dir = System.getProperty("huisclos.fuzz.stats");
        if (dir == null || System.getenv("JAZZER_FUZZ") == null) {
            return;
        }
        Files.createDirectories(Path.of(dir));
        Files.writeString(Path.of(dir, target.getSimpleName() + ".executions"), executions + "\n");
    }
}
