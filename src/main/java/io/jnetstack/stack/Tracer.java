package io.jnetstack.stack;

import java.io.PrintStream;

/**
 * Shows each call's path through the layers under the kernel's function names, with the values
 * decided at each step:
 *
 * <pre>
 * socket(AF_INET, SOCK_STREAM, 0)
 *   → __sys_socket
 *     → sock_create(family=AF_INET, type=SOCK_STREAM, protocol=0)
 *       → inet_create: inetsw[SOCK_STREAM] → tcp_prot, protocol 0 → IPPROTO_TCP
 *         · sk_alloc, sock_init_data: sk_sndbuf=16384 sk_rcvbuf=131072
 *         → tcp_v4_init_sock: snd_cwnd=10 rto=1000ms mss_cache=536
 *     → sock_map_fd = 3
 * = 3
 * </pre>
 *
 * Off by default and then free: call sites test {@link #on} before building their text.
 */
public final class Tracer {
    /** Read by call sites before they format anything. */
    public boolean on;
    /** Show softirq events (packets in and out, timers) as well as system calls. */
    public boolean events = true;
    private PrintStream out = System.out;
    private int depth;
    /** Indentation for notes made in softirq context, under the event that caused them; -1 outside. */
    private int eventDepth = -1;
    private final StringBuilder line = new StringBuilder(160);
    private Stack stack; // for timestamps on softirq events

    void attach(Stack stack) { this.stack = stack; }

    public void enable(PrintStream out) {
        this.out = out;
        this.on = true;
        this.depth = 0;
    }

    public void disable() { on = false; }

    /** A system call as the caller wrote it; opens the outermost frame. */
    public void syscall(String call) {
        if (!on) return;
        eventDepth = -1;
        depth = 0;
        print("", call);
        depth = 1;
    }

    /** The system call's result, closing the outermost frame. */
    public void result(long ret) {
        if (!on) return;
        eventDepth = -1;
        depth = 0;
        print("= ", io.jnetstack.uapi.Errno.describe(ret));
    }

    /** Enters a kernel function; {@code detail} says what it decided (may be empty). */
    public void enter(String fn, String detail) {
        if (!on) return;
        eventDepth = -1;
        print("→ ", detail == null || detail.isEmpty() ? fn : fn + ": " + detail);
        depth++;
    }

    public void exit() {
        if (on && depth > 1) depth--;
    }

    /** Leaves a kernel function, showing what it returned. */
    public int exit(String fn, int ret) {
        if (!on) return ret;
        if (depth > 1) depth--;
        print("← ", fn + " = " + io.jnetstack.uapi.Errno.describe(ret));
        return ret;
    }

    /** A fact decided inside the current function. */
    public void note(String text) {
        if (!on) return;
        if (eventDepth >= 0) {
            int saved = depth;
            depth = eventDepth;
            print("· ", text);
            depth = saved;
        } else {
            print("· ", text);
        }
    }

    /** Something that happened in softirq context (a packet in, a timer), stamped with the time. */
    public void event(String fn, String detail) {
        if (!on || !events) return;
        long ns = stack == null ? 0 : stack.scheduler().now();
        line.setLength(0);
        for (int i = 0; i < depth; i++) line.append("  ");
        eventDepth = depth + 1;
        line.append(String.format("[%d.%06d %s] %s%s", ns / 1_000_000_000L, (ns / 1000) % 1_000_000,
                stack == null ? "" : stack.name(), fn, detail == null || detail.isEmpty() ? "" : ": " + detail));
        out.println(line);
    }

    private void print(String mark, String text) {
        line.setLength(0);
        for (int i = 0; i < depth; i++) line.append("  ");
        line.append(mark).append(text);
        out.println(line);
    }
}
