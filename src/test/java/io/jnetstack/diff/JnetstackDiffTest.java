package io.jnetstack.diff;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The differential test against the host kernel: every case of the catalogue runs on Linux (in a
 * private network namespace, without capabilities) and on jnetstack, and every result must agree,
 * except the few {@link KnownDifferences} listed with their reasons. Needs root for the namespace,
 * which CI has: without it the test fails and says why.
 */
class JnetstackDiffTest {
    @Test void jnetstackAgreesWithLinux() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int rc;
        try (PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
            rc = SyscallDiff.run(new JnetstackTarget(), out, false);
        }
        String report = buf.toString(StandardCharsets.UTF_8);
        String last = report.lines().reduce((a, b) -> b).orElse("");
        System.out.println(last);
        assertTrue(last.matches("syscall-diff: \\d+/\\d+ agree with Linux"), "closing line: " + last);
        int total = Integer.parseInt(last.replaceAll(".*/(\\d+) agree.*", "$1"));
        assertTrue(total >= 500, "at least 500 cases, got " + total);
        assertEquals(0, rc, "disagreements beyond the known ones:\n" + report);
    }
}
