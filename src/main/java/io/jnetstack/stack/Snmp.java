package io.jnetstack.stack;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/** The stack's MIB counters (/proc/net/snmp and /proc/net/netstat): groups registered by modules. */
public final class Snmp {
    private final Map<String, Counters<?>> groups = new LinkedHashMap<>();

    /** Returns the group of that name, creating it with {@code keys} on first use. */
    @SuppressWarnings("unchecked")
    public <E extends Enum<E>> Counters<E> group(String name, Class<E> keys) {
        return (Counters<E>) groups.computeIfAbsent(name, n -> new Counters<>(n, keys));
    }

    /** A counter by "Group.Name" ("Ip.InHdrErrors"), or -1 when unknown. */
    public long get(String qualified) {
        int dot = qualified.indexOf('.');
        if (dot < 0) return -1;
        Counters<?> g = groups.get(qualified.substring(0, dot));
        return g == null ? -1 : g.get(qualified.substring(dot + 1));
    }

    public Collection<Counters<?>> groups() { return groups.values(); }

    public String format() {
        StringBuilder sb = new StringBuilder();
        for (Counters<?> g : groups.values()) sb.append(g.format());
        return sb.toString();
    }
}
