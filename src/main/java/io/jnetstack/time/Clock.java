package io.jnetstack.time;

/**
 * The stack's sense of time, in nanoseconds on an arbitrary epoch. Protocol code reads time only
 * through this (never System.nanoTime()), so that a simulation can run on a virtual clock and give
 * the same packets, byte for byte, on every run.
 */
public interface Clock {
    long nanos();

    default long millis() { return nanos() / 1_000_000L; }

    /** The real monotonic clock: the one place that reads System.nanoTime(). */
    Clock MONOTONIC = System::nanoTime;
}
