package io.jnetstack.packetdrill;

import io.jnetstack.stack.Stack;
import io.jnetstack.syscall.Syscalls;
import io.jnetstack.time.SimScheduler;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Runs packetdrill scripts against jnetstack: each script gets a fresh stack on a virtual clock,
 * a tun-like device playing the remote host (local 192.168.0.1, remote 192.0.2.1/24 via gateway
 * 192.168.0.1, netmask 255.255.0.0, MTU 1500, TSO), and a simulated application thread for the
 * system calls. The script's events happen at their script times; the stack's packets are
 * matched against the script's as packetdrill matches them (relative sequence numbers,
 * timestamp-echo mapping, timing tolerance).
 *
 * <pre>
 *   Runner.Result r = Runner.run(Path.of("basic.pkt"), Runner.Options.defaults());
 *   System.out.println(r.summaryLine());   // "PASS basic.pkt" or "FAIL basic.pkt:12: ..."
 * </pre>
 */
public final class Runner {
    private Runner() {}

    public enum Status { PASS, FAIL, SKIP }

    /**
     * The outcome of one script: FAIL names the first mismatch (line 0 when the script did not get
     * as far as an event), SKIP says which feature outside TCP/IP the script needs.
     */
    public record Result(Path script, Status status, int line, String message, List<String> notes, long wallMillis) {
        /** One line, as the CLI prints it: {@code PASS path}, {@code FAIL path:line: msg}, {@code SKIP path: why}. */
        public String summaryLine() {
            return switch (status) {
                case PASS -> "PASS " + script;
                case SKIP -> "SKIP " + script + ": " + message;
                case FAIL -> "FAIL " + script + (line > 0 ? ":" + line : "") + ": " + message;
            };
        }
    }

    /** The stack under test and its system-call interface, made fresh for each script. */
    public record Target(Stack stack, Syscalls calls) {}

    @FunctionalInterface
    public interface TargetFactory {
        Target create(SimScheduler scheduler, long seed);
    }

    /**
     * How to run: symbols defined as with packetdrill's -D (defaults: {@link Parser#DEFAULT_DEFINES}),
     * the python3 command for {@code %{ }%} code, a wall-clock limit per script, the seed for the
     * stack's random source, and where the stack comes from.
     */
    /** @param trace where the stack's kernel-function trace goes, or null for none */
    public record Options(Map<String, String> defines, boolean verbose, String python, long wallLimitMillis,
                          long seed, TargetFactory targets, java.io.PrintStream trace) {
        public static Options defaults() {
            return new Options(Parser.DEFAULT_DEFINES, false, "python3", 20_000, 1, Targets.JNETSTACK, null);
        }

        public Options withTargets(TargetFactory t) { return new Options(defines, verbose, python, wallLimitMillis, seed, t, trace); }

        public Options withVerbose(boolean v) { return new Options(defines, v, python, wallLimitMillis, seed, targets, trace); }

        /** These symbols instead of the current ones (see {@link HostArgs#defines} to add -D's to the defaults). */
        public Options withDefines(Map<String, String> d) { return new Options(Map.copyOf(d), verbose, python, wallLimitMillis, seed, targets, trace); }

        public Options withWallLimit(long ms) { return new Options(defines, verbose, python, ms, seed, targets, trace); }

        /** Traces each stack under test (tcp_v4_rcv, tcp_transmit_skb, tcp_enter_recovery...) to {@code out}. */
        public Options withTrace(java.io.PrintStream out) { return new Options(defines, verbose, python, wallLimitMillis, seed, targets, out); }
    }

    /**
     * Runs one script; never throws (an internal error is a FAIL with its message). The run gets
     * {@link Options#wallLimitMillis} of real time (the clock inside is virtual); past that it is
     * abandoned and reported as a FAIL.
     */
    public static Result run(Path script, Options options) {
        Result[] out = new Result[1];
        Thread t = Thread.ofPlatform().daemon(true).name("packetdrill-" + script.getFileName())
                .start(() -> out[0] = new ScriptRun(script, options).execute());
        try {
            t.join(options.wallLimitMillis() > 0 ? options.wallLimitMillis() : 0);
        } catch (InterruptedException e) {
            t.interrupt();
            Thread.currentThread().interrupt();
            return new Result(script, Status.FAIL, 0, "interrupted", List.of(), 0);
        }
        if (t.isAlive()) {
            t.interrupt();
            return new Result(script, Status.FAIL, 0, "timed out after " + options.wallLimitMillis() + " ms of wall-clock time",
                    List.of(), options.wallLimitMillis());
        }
        return out[0];
    }
}
