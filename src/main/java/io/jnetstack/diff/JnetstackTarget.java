package io.jnetstack.diff;

import io.jnetstack.Jnetstack;
import io.jnetstack.socket.Credentials;
import io.jnetstack.stack.Stack;
import io.jnetstack.syscall.SocketCalls;
import io.jnetstack.syscall.Syscalls;
import io.jnetstack.syscall.Task;
import io.jnetstack.time.SimScheduler;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * jnetstack as the differential harness sees it: each case gets a fresh stack on its own virtual
 * clock, and a process with the same standing as the Linux side (uid 0 without capabilities).
 *
 * <p>net.core.{rmem,wmem}_{default,max} are global on Linux, not per namespace, so the Linux side
 * runs with the host's values; the jnetstack stack copies them so that buffer-size clamping is
 * compared like for like.
 */
public final class JnetstackTarget implements Target {
    private static final String[] GLOBAL_SYSCTLS = {
        "net.core.rmem_default", "net.core.rmem_max", "net.core.wmem_default", "net.core.wmem_max"};
    private final Map<Syscalls, SimScheduler> schedulers = new IdentityHashMap<>();
    private long seed = 1;

    @Override public String name() { return "jnetstack"; }

    @Override public Syscalls open() {
        SimScheduler sched = new SimScheduler();
        Stack stack = Jnetstack.newStack("diff", sched, seed++);
        for (String name : GLOBAL_SYSCTLS) {
            String v = readHost(name);
            if (v != null) stack.sysctl().set(name, v);
        }
        Credentials unprivileged = new Credentials(0, 0, false, false, false);
        SocketCalls sys = new SocketCalls(stack, new Task(100, unprivileged));
        schedulers.put(sys, sched);
        return sys;
    }

    @Override public void settle(Syscalls s) {
        SimScheduler sched = schedulers.get(s);
        if (sched != null) sched.runFor(0); // everything due now, without moving the clock
    }

    @Override public void release(Syscalls s) { schedulers.remove(s); }

    private static String readHost(String name) {
        try (FileInputStream in = new FileInputStream("/proc/sys/" + name.replace('.', '/'))) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            return null;
        }
    }
}
