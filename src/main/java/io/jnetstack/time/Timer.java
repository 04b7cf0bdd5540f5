package io.jnetstack.time;

/**
 * A one-shot timer owned by protocol state (struct timer_list). Objects are allocated once with
 * their owner (a TCB holds its retransmit, delayed-ACK, keepalive and TIME_WAIT timers) and re-armed
 * through {@link Scheduler#arm}, so arming allocates nothing.
 */
public final class Timer {
    final String name;
    final Runnable action;
    long deadline;
    long seq;           // tie-break: timers due at the same instant fire in arming order
    int heapIndex = -1; // position in the TimerHeap, -1 when not armed

    public Timer(String name, Runnable action) {
        this.name = name;
        this.action = action;
    }

    public boolean armed() { return heapIndex >= 0; }

    /** Deadline in clock nanoseconds; meaningful only while {@link #armed()}. */
    public long deadline() { return deadline; }

    public String name() { return name; }

    @Override public String toString() { return name + (armed() ? "@" + deadline : "(idle)"); }
}
