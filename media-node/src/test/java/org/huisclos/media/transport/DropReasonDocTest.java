package org.huisclos.media.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/metrics.md lists exactly the values of {@link DropReason}, in the enum's order. */
class DropReasonDocTest {
    @Test
    void theDocumentedReasonsAreTheEnum() throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "metrics.md"));
        int start = doc.indexOf("Values of `reason`:");
        assertTrue(start >= 0, "docs/metrics.md has no table of reasons");
        int end = doc.indexOf("\n\n", doc.indexOf("| reason |", start) );
        Matcher m = Pattern.compile("(?m)^\\| `([a-z0-9_]+)` \\|").matcher(doc.substring(start, end < 0 ? doc.length() : end));
        List<String> documented = new ArrayList<>();
        while (m.find()) {
            documented.add(m.group(1));
        }
        List<String> labels = new ArrayList<>();
        for (DropReason r : DropReason.values()) {
            labels.add(r.label);
        }
        assertEquals(labels, documented, "the reason table of docs/metrics.md and DropReason");
    }
}
