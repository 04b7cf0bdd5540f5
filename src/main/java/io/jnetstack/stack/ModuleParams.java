package io.jnetstack.stack;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Module parameters, as {@code /sys/module/MODULE/parameters/NAME} shows them: tunables of a
 * built-in algorithm rather than of a network namespace (tcp_cubic's HyStart switches, for
 * instance). In Linux they are global to the kernel; here each {@link Stack} is a kernel of its own,
 * so every simulated host has its own set. Values use {@link Sysctl}, read on the hot path.
 */
public final class ModuleParams {
    private final Map<String, Sysctl> byPath = new LinkedHashMap<>();

    /**
     * tcp_cubic: HyStart on (a bool: 0/1, as Linux's bool parameters also take) and which detectors
     * run (bit 0 ACK train, bit 1 delay; a plain int, unchecked as in Linux).
     */
    public final Sysctl cubicHystart = define("tcp_cubic", "hystart", 0, 1, 1);
    public final Sysctl cubicHystartDetect = define("tcp_cubic", "hystart_detect", Integer.MIN_VALUE, Integer.MAX_VALUE, 3);
    /** tcp_cubic: HyStart only looks at flows whose cwnd is at least this many packets. */
    public final Sysctl cubicHystartLowWindow = define("tcp_cubic", "hystart_low_window", 0, Integer.MAX_VALUE, 16);
    /** tcp_cubic: ACKs this close together (µs) belong to one ACK train. */
    public final Sysctl cubicHystartAckDeltaUs = define("tcp_cubic", "hystart_ack_delta_us", 0, Integer.MAX_VALUE, 2000);

    /** Defines parameter {@code name} of {@code module}. */
    public Sysctl define(String module, String name, long min, long max, long def) {
        return byPath.computeIfAbsent(module + "/" + name, p -> new Sysctl(p, min, max, def));
    }

    /** The parameter {@code module}/{@code name}, or null when the module has no such parameter. */
    public Sysctl get(String module, String name) { return byPath.get(module + "/" + name); }

    public Collection<Sysctl> all() { return Collections.unmodifiableCollection(byPath.values()); }
}
