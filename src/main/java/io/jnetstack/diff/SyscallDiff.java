package io.jnetstack.diff;

import io.jnetstack.host.HostThread;
import io.jnetstack.host.LinuxSyscalls;
import io.jnetstack.syscall.Syscalls;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The differential test: every {@link Catalogue} case runs on the host Linux kernel (a
 * {@link LinuxTarget}: private network namespace, lo up, no capabilities) and on another target,
 * and the two traces are compared step by step. Every disagreement is printed with both results;
 * the last line is {@code syscall-diff: A/T agree with Linux}.
 */
public final class SyscallDiff {
    private SyscallDiff() {}

    /** How long one case may take on one target before it is reported as blocked. */
    public static final long CASE_TIMEOUT_MS = 20_000;

    /** The outcome of one case on both targets. */
    public record Outcome(Case c, List<String> linux, List<String> other, String knownReason) {
        public boolean agree() { return linux.equals(other); }
    }

    /** Runs one case on one target: fresh state, the body (bounded in time), release. */
    public static List<String> runCase(Target t, Case c) {
        Syscalls s;
        try {
            s = t.open();
        } catch (RuntimeException e) {
            return List.of("!! " + t.name() + " could not open: " + e);
        }
        Recorder r = new Recorder(s, t);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread th = Thread.ofPlatform().daemon(true).name("case-" + t.name()).start(() -> {
            try {
                c.body().accept(r);
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        List<String> steps;
        try {
            th.join(CASE_TIMEOUT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        steps = r.steps();
        if (th.isAlive()) {
            steps.add("!! blocked: no result after " + CASE_TIMEOUT_MS + " ms");
        } else if (thrown.get() != null) {
            Throwable e = thrown.get();
            steps.add("!! threw " + e.getClass().getName() + ": " + e.getMessage());
        }
        t.release(s);
        return steps;
    }

    /** Runs every case on both targets, one case at a time (Linux first). */
    public static List<Outcome> compare(Target linux, Target other, List<Case> cases) {
        List<Outcome> out = new ArrayList<>(cases.size());
        for (Case c : cases) {
            List<String> a = runCase(linux, c);
            List<String> b = runCase(other, c);
            out.add(new Outcome(c, a, b, KnownDifferences.reason(c.name()).orElse(null)));
        }
        return out;
    }

    /** Prints the disagreements and the summary line; returns 0 when all agree or all differences are known. */
    public static int report(List<Outcome> outcomes, String otherName, PrintStream out, boolean verbose) {
        int agree = 0, unknown = 0;
        for (Outcome o : outcomes) {
            if (o.agree()) {
                agree++;
                if (verbose) out.println("ok   " + o.c().name());
                continue;
            }
            if (o.knownReason() == null) unknown++;
            out.println((o.knownReason() == null ? "DIFF " : "KNOWN ") + o.c().name()
                    + (o.knownReason() == null ? "" : "  (" + o.knownReason() + ")"));
            int n = Math.max(o.linux().size(), o.other().size());
            for (int i = 0; i < n; i++) {
                String a = i < o.linux().size() ? o.linux().get(i) : "<no step>";
                String b = i < o.other().size() ? o.other().get(i) : "<no step>";
                if (a.equals(b)) {
                    if (verbose) out.println("  step " + (i + 1) + ":   " + a);
                    continue;
                }
                out.println("  step " + (i + 1) + ": linux:      " + a);
                out.println("  " + " ".repeat(String.valueOf(i + 1).length()) + "      " + pad(otherName) + b);
            }
        }
        out.println("syscall-diff: " + agree + "/" + outcomes.size() + " agree with Linux");
        return unknown == 0 ? 0 : 1;
    }

    private static String pad(String name) {
        String s = name + ":";
        return s.length() >= 12 ? s + " " : s + " ".repeat(12 - s.length());
    }

    /** Writes what Linux returned for every case: the reference for implementers. */
    public static void writeTable(Path file, List<Outcome> outcomes) throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append("# syscall-diff: what the host Linux kernel returns for each case\n");
        sb.append("# process: uid 0/gid 0 with no effective capabilities, in a fresh network namespace with lo up\n");
        sb.append("# kernel: ").append(hostInfo()).append("\n");
        sb.append("# fds are named by allocation order (fd#N); ephemeral ports (32768-60999) by first appearance (eph#N)\n");
        sb.append("# cases: ").append(outcomes.size()).append("\n\n");
        for (Outcome o : outcomes) {
            sb.append("== ").append(o.c().name()).append('\n');
            for (String s : o.linux()) sb.append("   ").append(s).append('\n');
        }
        if (file.getParent() != null) Files.createDirectories(file.getParent());
        Files.writeString(file, sb, StandardCharsets.UTF_8);
    }

    static String hostInfo() {
        LinuxSyscalls l = new LinuxSyscalls();
        StringBuilder sb = new StringBuilder();
        try {
            sb.append(l.readSysctl("kernel.osrelease"));
            for (String k : new String[] {"net.core.rmem_default", "net.core.rmem_max", "net.core.wmem_default",
                "net.core.wmem_max", "net.core.optmem_max"}) {
                sb.append("; ").append(k).append('=').append(l.readSysctl(k));
            }
        } catch (IOException e) {
            sb.append(" (").append(e.getMessage()).append(")");
        }
        return sb.toString();
    }

    /**
     * The entry point for a CLI: all cases on Linux and on {@code jnetstack}; the Linux table goes
     * to {@code target/syscall-diff-linux.txt}. Returns the exit status (0: all agree, or only
     * {@link KnownDifferences}; 1: a disagreement, or Linux could not be set up).
     */
    public static int run(Target jnetstack, PrintStream out, boolean verbose) {
        return run(jnetstack, out, verbose, Path.of("target", "syscall-diff-linux.txt"));
    }

    public static int run(Target other, PrintStream out, boolean verbose, Path table) {
        LinuxTarget linux;
        try {
            linux = LinuxTarget.start("linux");
        } catch (HostThread.HostSetupException e) {
            out.println("syscall-diff: cannot set up the Linux side (needs root for a private network namespace): "
                    + e.getMessage());
            return 1;
        }
        try {
            List<Outcome> outcomes = compare(linux, other, Catalogue.all());
            if (table != null) {
                try {
                    writeTable(table, outcomes);
                } catch (IOException e) {
                    out.println("syscall-diff: could not write " + table + ": " + e);
                }
            }
            return report(outcomes, other.name(), out, verbose);
        } finally {
            linux.close();
        }
    }
}
