package org.huisclos.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No main-code file over 400 lines, Java or JavaScript (issue 12): a file that grows past it is split
 * by idea. Test code is exempt.
 */
class FileLengthTest {
    private static final int MAX_LINES = 400;

    @Test
    void noMainFileIsOver400Lines() throws IOException {
        Path root = Path.of("").toAbsolutePath();
        while (root != null && !Files.isRegularFile(root.resolve("huisclos"))) {
            root = root.getParent();
        }
        assertTrue(root != null, "the repository root (with ./huisclos) above " + Path.of("").toAbsolutePath());
        List<String> tooLong;
        try (Stream<Path> files = Files.walk(root)) {
            tooLong = files.filter(p -> p.toString().contains("/src/main/") && !p.toString().contains("/target/")
                            && (p.toString().endsWith(".java") || p.toString().endsWith(".js")))
                    .filter(p -> lines(p) > MAX_LINES)
                    .map(p -> p + ": " + lines(p) + " lines")
                    .sorted().toList();
        }
        assertEquals(List.of(), tooLong, "main-code files over " + MAX_LINES + " lines: split them by idea");
    }

    private static long lines(Path p) {
        try (Stream<String> s = Files.lines(p)) {
            return s.count();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
