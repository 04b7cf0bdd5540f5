package io.jnetstack.diff;

import static org.junit.jupiter.api.Assertions.*;

import io.jnetstack.host.HostThread;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The harness against itself: the whole catalogue on Linux in one namespace thread and on Linux in
 * another. Everything must agree, which shows the normalisation hides only what may differ and the
 * cases are deterministic. Also writes the Linux results table. Needs root; fails, never skips,
 * when the private namespaces cannot be made.
 */
class LinuxSelfDiffTest {
    static final Path TABLE = Path.of(System.getProperty("jnetstack.diffTable", "target/syscall-diff-linux.txt"));

    @Test
    void catalogueIsLargeAndNamesAreUnique() {
        List<Case> all = Catalogue.all();
        assertTrue(all.size() >= 600, "cases: " + all.size());
    }

    @Test
    void linuxAgreesWithLinux() throws Exception {
        LinuxTarget a, b;
        try {
            a = LinuxTarget.start("linux-a");
            b = LinuxTarget.start("linux-b");
        } catch (HostThread.HostSetupException e) {
            fail("cannot create private network namespaces (the differential tests need root): " + e.getMessage());
            return;
        }
        try {
            List<SyscallDiff.Outcome> outcomes = SyscallDiff.compare(a, b, Catalogue.all());
            SyscallDiff.writeTable(TABLE, outcomes);
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            int rc = SyscallDiff.report(outcomes, "linux-b", new PrintStream(buf, true, StandardCharsets.UTF_8), false);
            String report = buf.toString(StandardCharsets.UTF_8);
            System.out.println(report.length() > 20000 ? report.substring(0, 20000) + "\n..." : report);
            long harnessErrors = outcomes.stream().flatMap(o -> o.linux().stream()).filter(s -> s.startsWith("!!")).count();
            assertEquals(0, harnessErrors, "cases that threw or blocked on Linux (see " + TABLE + ")");
            assertEquals(0, rc, report.length() > 4000 ? report.substring(0, 4000) : report);
            assertTrue(report.endsWith("syscall-diff: " + outcomes.size() + "/" + outcomes.size() + " agree with Linux\n")
                    || report.contains("syscall-diff: " + outcomes.size() + "/" + outcomes.size() + " agree with Linux"));
            assertTrue(Files.size(TABLE) > 0);
        } finally {
            a.close();
            b.close();
        }
    }

    @Test
    void aDifferenceIsReported() throws Exception {
        LinuxTarget a;
        try {
            a = LinuxTarget.start("linux-c");
        } catch (HostThread.HostSetupException e) {
            fail("cannot create a private network namespace (needs root): " + e.getMessage());
            return;
        }
        try {
            // A "stack" that gets one answer wrong: listen on UDP succeeds.
            Target liar = new Target() {
                @Override public String name() { return "liar"; }
                @Override public io.jnetstack.syscall.Syscalls open() {
                    io.jnetstack.syscall.Syscalls real = a.open();
                    return (io.jnetstack.syscall.Syscalls) java.lang.reflect.Proxy.newProxyInstance(
                            getClass().getClassLoader(), new Class<?>[] {io.jnetstack.syscall.Syscalls.class},
                            (p, m, args) -> m.getName().equals("listen") ? Integer.valueOf(0) : m.invoke(real, args));
                }
                @Override public void release(io.jnetstack.syscall.Syscalls s) { a.release(s); }
            };
            List<Case> cases = Catalogue.all().stream().filter(c -> c.name().equals("listen/udp-eopnotsupp")
                    || c.name().equals("close/twice")).toList();
            assertEquals(2, cases.size());
            List<SyscallDiff.Outcome> o = SyscallDiff.compare(a, liar, cases);
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            int rc = SyscallDiff.report(o, "liar", new PrintStream(buf, true, StandardCharsets.UTF_8), false);
            String report = buf.toString(StandardCharsets.UTF_8);
            System.out.println(report);
            assertEquals(1, rc);
            assertTrue(report.contains("DIFF listen/udp-eopnotsupp"), report);
            assertTrue(report.contains("linux:      listen(fd#1, 4) = -1 EOPNOTSUPP (Operation not supported)"), report);
            assertTrue(report.contains("liar:       listen(fd#1, 4) = 0"), report);
            assertTrue(report.trim().endsWith("syscall-diff: 1/2 agree with Linux"), report);
        } finally {
            a.close();
        }
    }
}
