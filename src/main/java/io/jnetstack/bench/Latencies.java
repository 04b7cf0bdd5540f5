package io.jnetstack.bench;

import java.util.Arrays;

/** Per-operation wall times of a run: count, rate and percentiles (all samples kept, sorted once). */
public final class Latencies {
    private long[] samples = new long[1 << 16];
    private int n;
    private long total;

    void add(long nanos) {
        if (n == samples.length) samples = Arrays.copyOf(samples, n * 2);
        samples[n++] = nanos;
        sorted = false;
        total += nanos;
    }

    public int count() { return n; }

    /** Operations per second of busy time. */
    public double perSecond() { return total == 0 ? 0 : n * 1e9 / total; }

    /** The {@code q}-quantile (0.5, 0.99, 0.999) in nanoseconds, nearest rank. */
    public long percentile(double q) {
        if (n == 0) return 0;
        if (!sorted) {
            Arrays.sort(samples, 0, n);
            sorted = true;
        }
        int rank = (int) Math.ceil(q * n) - 1;
        return samples[Math.clamp(rank, 0, n - 1)];
    }

    private boolean sorted;
}
