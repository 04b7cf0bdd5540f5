package io.jnetstack.time;

/**
 * Who runs protocol code and when: the stack's softirq and the process context of its callers.
 *
 * <p>All protocol state of the stacks sharing a scheduler is touched by one thread at a time (the
 * one holding the scheduler, as a CPU holds the socket lock), so protocol code takes no locks.
 * System calls run between {@link #enter()} and {@link #exit()}; work that the kernel would defer to
 * softirq (a packet looped back, a wire delivery) is {@link #post posted} and runs before the
 * holder leaves, or on the event loop.
 *
 * <p>Blocking is {@link #await}: the caller sleeps on a wait queue (sk_wait_event), and the
 * scheduler runs everything else until someone wakes that queue or the deadline passes.
 */
public interface Scheduler {
    Clock clock();

    default long now() { return clock().nanos(); }

    /** Arms (or re-arms) {@code t} to fire at {@code deadline} clock nanoseconds. */
    void arm(Timer t, long deadline);

    void cancel(Timer t);

    /** Runs {@code r} soon, in softirq context, before time advances. Used for loopback delivery. */
    void post(Runnable r);

    /** Enters process context: the calling thread now owns all protocol state. */
    void enter();

    /** Leaves process context, first running any posted softirq work (as local_bh_enable does). */
    void exit();

    /**
     * Sleeps on {@code wq} until woken or until {@code deadline} (Long.MAX_VALUE for none). Must be
     * called inside enter/exit; ownership is given up while asleep and held again on return.
     *
     * @return {@link #WOKEN}, {@link #TIMED_OUT} or {@link #INTERRUPTED} (the simulation ended while
     *     the caller still slept, the analogue of a signal: callers return -EINTR or -ERESTARTSYS)
     */
    int await(WaitQueue wq, long deadline);

    int WOKEN = 0, TIMED_OUT = 1, INTERRUPTED = 2;
}
