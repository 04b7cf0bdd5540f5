package io.jnetstack.sim;

import io.jnetstack.Jnetstack;
import io.jnetstack.link.NetDevice;
import io.jnetstack.link.PcapTap;
import io.jnetstack.link.PcapWriter;
import io.jnetstack.link.Wire;
import io.jnetstack.link.WireConfig;
import io.jnetstack.socket.Credentials;
import io.jnetstack.stack.Stack;
import io.jnetstack.syscall.SocketCalls;
import io.jnetstack.syscall.Task;
import io.jnetstack.time.SimScheduler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A simulated network: hosts (complete stacks) joined by in-memory {@link Wire}s, all on one
 * virtual clock. Programs run as application threads written in the ordinary blocking style
 * against each host's {@link SocketCalls}; the same seed gives the same packets, byte for byte.
 *
 * <pre>{@code
 * try (SimNet net = new SimNet(42)) {
 *     Host a = net.host("a"), b = net.host("b");
 *     net.link(a, "10.0.0.1/24", b, "10.0.0.2/24", WireConfig.DEFAULT.withDelay(10_000_000));
 *     net.spawn("server", () -> ... a.sys() ...);
 *     net.spawn("client", () -> ... b.sys() ...);
 *     net.run();
 * }
 * }</pre>
 */
public final class SimNet implements AutoCloseable {
    private final SimScheduler scheduler = new SimScheduler();
    private final long seed;
    private final List<Host> hosts = new ArrayList<>();
    private final List<PcapWriter> captures = new ArrayList<>();
    private final List<Wire> wires = new ArrayList<>();

    /** One simulated machine: a stack and a process on it. */
    public record Host(String name, Stack stack, Task task, SocketCalls sys) {}

    public SimNet(long seed) { this.seed = seed; }

    public SimScheduler scheduler() { return scheduler; }

    /** A new host whose programs run as root (as a user's own test programs would). */
    public Host host(String name) { return host(name, Credentials.ROOT); }

    public Host host(String name, Credentials cred) {
        // Each host draws from its own stream: adding a host does not change another's ISNs.
        Stack stack = Jnetstack.newStack(name, scheduler, seed * 1_000_003L + hosts.size());
        Task task = new Task(100 + hosts.size(), cred);
        Host h = new Host(name, stack, task, new SocketCalls(stack, task));
        hosts.add(h);
        return h;
    }

    /** Joins two hosts with a wire, each end configured with its address ("10.0.0.1/24"). */
    public Wire link(Host a, String aAddr, Host b, String bAddr, WireConfig config) {
        return link(a, aAddr, b, bAddr, config, config, null);
    }

    /**
     * Joins two hosts with a wire; {@code ab} impairs a→b traffic, {@code ba} the reverse. When
     * {@code pcapAtA} is given, everything a's end sends and receives is captured there.
     */
    public Wire link(Host a, String aAddr, Host b, String bAddr, WireConfig ab, WireConfig ba, Path pcapAtA) {
        Wire w = Wire.create(scheduler, seed ^ (0x9E3779B97F4A7C15L * (wires.size() + 1)), ab, ba);
        wires.add(w);
        NetDevice endA = w.a().name("eth" + countDevices(a));
        NetDevice endB = w.b().name("eth" + countDevices(b));
        if (pcapAtA != null) {
            try {
                PcapWriter pw = PcapWriter.open(pcapAtA, endA, scheduler);
                captures.add(pw);
                endA = new PcapTap(endA, pw);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + pcapAtA + ": " + e.getMessage(), e);
            }
        }
        attach(a, endA, aAddr);
        attach(b, endB, bAddr);
        return w;
    }

    private static int countDevices(Host h) { return h.stack().devices().size() - 1; }

    private static void attach(Host h, NetDevice dev, String cidr) {
        int slash = cidr.indexOf('/');
        int addr = io.jnetstack.socket.SockAddr.parseIp(slash < 0 ? cidr : cidr.substring(0, slash));
        int prefix = slash < 0 ? 32 : Integer.parseInt(cidr.substring(slash + 1));
        Jnetstack.addInterface(h.stack(), dev, addr, prefix);
    }

    /** Starts a program; it first runs when {@link #run()} reaches it. */
    public void spawn(String name, Runnable program) { scheduler.spawn(name, program); }

    /** Runs until every program has finished; rethrows a program's failure. */
    public void run() { scheduler.run(); }

    /** Virtual time now, in nanoseconds. */
    public long now() { return scheduler.nanos(); }

    public List<Host> hosts() { return hosts; }

    @Override public void close() {
        for (PcapWriter w : captures) w.closeUnchecked();
    }
}
