package io.jnetstack.stack;

/**
 * One group of SNMP-style counters (a line pair of /proc/net/snmp or netstat), indexed by an enum
 * whose constant names are Linux's counter names ({@code InHdrErrors}, {@code InCsumErrors}...).
 */
public final class Counters<E extends Enum<E>> {
    private final String group;
    private final E[] keys;
    private final long[] values;

    Counters(String group, Class<E> keys) {
        this.group = group;
        this.keys = keys.getEnumConstants();
        this.values = new long[this.keys.length];
    }

    public String group() { return group; }

    public void inc(E key) { values[key.ordinal()]++; }

    public void add(E key, long n) { values[key.ordinal()] += n; }

    public long get(E key) { return values[key.ordinal()]; }

    /** Value by Linux name ("InCsumErrors"), or -1 if this group has no such counter. */
    public long get(String name) {
        for (E k : keys) if (k.name().equals(name)) return values[k.ordinal()];
        return -1;
    }

    /** The counters' Linux names, in /proc order. */
    public java.util.List<String> names() {
        java.util.List<String> out = new java.util.ArrayList<>(keys.length);
        for (E k : keys) out.add(k.name());
        return out;
    }

    /** The two lines /proc/net/snmp shows for the group: names, then values. */
    public String format() {
        StringBuilder names = new StringBuilder(group).append(':');
        StringBuilder vals = new StringBuilder(group).append(':');
        for (E k : keys) {
            names.append(' ').append(k.name());
            vals.append(' ').append(values[k.ordinal()]);
        }
        return names + "\n" + vals + "\n";
    }
}
