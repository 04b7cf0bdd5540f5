package io.jnetstack.tcp;

/**
 * tcp_chrono_start / tcp_chrono_stop: how long the connection was busy sending, and what limited
 * it (tcpi_busy_time, tcpi_rwnd_limited, tcpi_sndbuf_limited). One chronograph runs at a time;
 * a more specific limit (receive window, then send buffer) takes over from plain "busy", and
 * when it ends the clock falls back to busy while data is still queued or in flight.
 */
final class TcpChrono {
    static final int NONE = 0, BUSY = 1, RWND_LIMITED = 2, SNDBUF_LIMITED = 3;

    private int type;
    private long startNs;
    private final long[] statNs = new long[3];

    /** tcp_chrono_start: a condition at least as interesting as the current one begins. */
    void start(int t, long now) {
        if (t > type) set(t, now);
    }

    /** tcp_chrono_stop: condition {@code t} ended; {@code queuesEmpty}: nothing unsent or unacked. */
    void stop(int t, boolean queuesEmpty, long now) {
        if (queuesEmpty) set(NONE, now);
        else if (t == type) set(BUSY, now);
    }

    private void set(int t, long now) {
        if (type > NONE) statNs[type - 1] += now - startNs;
        startNs = now;
        type = t;
    }

    /** The time spent in state {@code t} (BUSY, RWND_LIMITED or SNDBUF_LIMITED) up to now, in µs. */
    long usecs(int t, long now) {
        long ns = statNs[t - 1] + (t == type ? now - startNs : 0);
        return ns / 1000;
    }

    /** tcpi_busy_time: the three together. */
    long busyUsecs(long now) { return usecs(BUSY, now) + usecs(RWND_LIMITED, now) + usecs(SNDBUF_LIMITED, now); }
}
