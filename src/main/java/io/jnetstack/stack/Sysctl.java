package io.jnetstack.stack;

/**
 * One sysctl (a /proc/sys entry) of one stack: a name such as {@code net.ipv4.tcp_sack} and one or
 * more integer values. Protocol code holds the object and reads {@link #value()} on its hot path.
 */
public final class Sysctl {
    private final String name;
    private final long[] values;
    private final long min, max;

    Sysctl(String name, long min, long max, long... defaults) {
        this.name = name;
        this.values = defaults.clone();
        this.min = min;
        this.max = max;
    }

    public String name() { return name; }

    public int value() { return (int) values[0]; }

    public long longValue() { return values[0]; }

    public int value(int i) { return (int) values[i]; }

    public int count() { return values.length; }

    /** Sets from text as written to /proc/sys ("4096 131072 6291456"); returns 0 or -EINVAL. */
    public int set(String text) {
        String[] parts = text.trim().split("\\s+");
        if (parts.length == 0 || parts.length > values.length) return -io.jnetstack.uapi.Errno.EINVAL;
        long[] parsed = new long[parts.length];
        try {
            for (int i = 0; i < parts.length; i++) parsed[i] = Long.parseLong(parts[i]);
        } catch (NumberFormatException e) {
            return -io.jnetstack.uapi.Errno.EINVAL;
        }
        for (long v : parsed) if (v < min || v > max) return -io.jnetstack.uapi.Errno.EINVAL;
        System.arraycopy(parsed, 0, values, 0, parsed.length);
        return 0;
    }

    public void set(long... v) { System.arraycopy(v, 0, values, 0, Math.min(v.length, values.length)); }

    /** As /proc/sys prints it: values separated by tabs. */
    public String text() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            if (i > 0) sb.append('\t');
            sb.append(values[i]);
        }
        return sb.toString();
    }

    @Override public String toString() { return name + " = " + text(); }
}
