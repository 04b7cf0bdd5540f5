package io.jnetstack.stack;

import io.jnetstack.link.NetDevice;
import io.jnetstack.time.Scheduler;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One network stack (a struct net, a network namespace): its devices, sysctls, counters, protocol
 * modules and the scheduler that runs it. Several stacks may share one scheduler (a simulated
 * network on one virtual clock).
 *
 * <p>Protocol modules install themselves with {@link #register} and find each other with
 * {@link #module}; they look each other up once at install time, never per packet.
 */
public final class Stack {
    private final String name;
    private final Scheduler scheduler;
    private final SplittableRandom random;
    private final Sysctls sysctls = new Sysctls();
    private final ModuleParams moduleParams = new ModuleParams();
    private final Snmp snmp = new Snmp();
    private final Tracer tracer = new Tracer();
    private final List<NetDevice> devices = new ArrayList<>();
    private final Map<Class<?>, Object> modules = new HashMap<>();
    /** Open files stack-wide, checked against fs.file-max for ENFILE. */
    public long openFiles;

    public Stack(String name, Scheduler scheduler, long seed) {
        this.name = name;
        this.scheduler = scheduler;
        this.random = new SplittableRandom(seed);
        tracer.attach(this);
    }

    public String name() { return name; }

    public Scheduler scheduler() { return scheduler; }

    public long now() { return scheduler.now(); }

    /** CLOCK_REALTIME (ns since the epoch): what timestamps reported to applications carry. */
    public long realtime() { return scheduler.clock().realtimeNanos(); }

    private long lastIno = 10_000;

    /** get_next_ino: a fresh inode number for a new socket of this stack. */
    public long nextIno() { return ++lastIno; }

    /** The stack's seeded random source: ISNs, ephemeral ports, impairments. Deterministic per seed. */
    public SplittableRandom random() { return random; }

    public Sysctls sysctl() { return sysctls; }

    /** The module parameters ({@code /sys/module/MODULE/parameters}) of this stack's kernel. */
    public ModuleParams moduleParams() { return moduleParams; }

    public Snmp snmp() { return snmp; }

    public Tracer trace() { return tracer; }

    public <T> void register(Class<T> type, T module) { modules.put(type, module); }

    /** The module of that type, or null when not installed. */
    public <T> T module(Class<T> type) { return type.cast(modules.get(type)); }

    /** Adds a device; its ifindex is its position + 1 (loopback, installed first, is 1 as on Linux). */
    public int addDevice(NetDevice dev) {
        devices.add(dev);
        return devices.size();
    }

    public List<NetDevice> devices() { return devices; }

    public int ifindex(NetDevice dev) { return devices.indexOf(dev) + 1; }

    @Override public String toString() { return "Stack[" + name + "]"; }
}
