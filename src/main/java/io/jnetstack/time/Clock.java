package io.jnetstack.time;

/**
 * The stack's sense of time, in nanoseconds on an arbitrary epoch. Protocol code reads time only
 * through this (never System.nanoTime()), so that a simulation can run on a virtual clock and give
 * the same packets, byte for byte, on every run.
 */
public interface Clock {
    long nanos();

    default long millis() { return nanos() / 1_000_000L; }

    /** Where a virtual clock's zero lies on the wall clock: 2026-01-01T00:00:00Z. */
    long VIRTUAL_EPOCH_NANOS = 1_767_225_600L * 1_000_000_000L;

    /**
     * CLOCK_REALTIME in nanoseconds since the Unix epoch (ktime_get_real: what timestamps handed
     * to applications and capture files carry). Default, for virtual clocks: the clock plus
     * {@link #VIRTUAL_EPOCH_NANOS}, so a simulated world's wall clock is as deterministic as its
     * virtual time.
     */
    default long realtimeNanos() { return nanos() + VIRTUAL_EPOCH_NANOS; }

    /** The real monotonic clock: the one place that reads System.nanoTime() (and the wall clock). */
    Clock MONOTONIC = new Clock() {
        /** Wall-clock minus monotonic, sampled once: realtime then advances with the monotonic clock. */
        private final long realOffset = System.currentTimeMillis() * 1_000_000L - System.nanoTime();

        @Override public long nanos() { return System.nanoTime(); }

        @Override public long realtimeNanos() { return System.nanoTime() + realOffset; }
    };
}
