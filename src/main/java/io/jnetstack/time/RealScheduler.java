package io.jnetstack.time;

import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The scheduler of a stack running in real time (TUN/TAP, interop with real peers): the monotonic
 * clock, one lock for all protocol state, and an event-loop thread playing the softirq.
 *
 * <ul>
 *   <li>{@link #enter()}/{@link #exit()} take and release the stack lock (lock_sock for the whole
 *       stack: shard across stacks, not across locks). The lock is reentrant; the outermost
 *       exit first runs posted work while still holding it (local_bh_enable running pending
 *       softirqs), so a looped-back packet is queued at its receiver before the syscall returns.
 *   <li>{@link #await} sleeps on a {@link Condition} of the stack lock, giving the lock up while
 *       asleep. The waiting thread's {@link WaitQueue.Entry} signals that condition; wakeups are
 *       always issued under the lock (protocol context). A wakeup returns {@link #WOKEN} even if
 *       the condition the caller waits for does not hold yet: callers re-check, as every
 *       sk_wait_event loop does. Interrupting the thread is the analogue of a signal:
 *       {@link #INTERRUPTED}, with the interrupt consumed.
 *   <li>The event loop ({@link #start()}) fires due timers and runs posted work, under the lock,
 *       and sleeps until the earliest timer or until someone posts or arms an earlier one. Without
 *       it, timers never fire; posted work still runs at exit.
 * </ul>
 *
 * <p>Exceptions thrown by timers or posted work on the event loop go to the thread's uncaught
 * exception handler and the loop carries on: one bad packet must not stop the stack.
 */
public final class RealScheduler implements Scheduler, AutoCloseable {
    /** Timers and posted tasks the loop runs before letting waiting callers have the lock. */
    private static final int LOOP_BATCH = 64;

    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition loopWake = lock.newCondition();
    private final TimerHeap timers = new TimerHeap();
    private final ArrayDeque<Runnable> posted = new ArrayDeque<>();
    private final ThreadLocal<Waiter> waiters = ThreadLocal.withInitial(Waiter::new);
    private Thread loop;
    private boolean stopping, draining, loopSleeping;
    private long loopSleepsUntil;

    public RealScheduler() { this(Clock.MONOTONIC); }

    /** With another clock (tests); it must advance on its own, as the loop sleeps against it. */
    public RealScheduler(Clock clock) { this.clock = clock; }

    @Override public Clock clock() { return clock; }

    @Override public void arm(Timer t, long deadline) {
        lock.lock();
        try {
            timers.arm(t, deadline);
            if (loopSleeping && deadline < loopSleepsUntil) loopWake.signal();
        } finally {
            lock.unlock();
        }
    }

    @Override public void cancel(Timer t) {
        lock.lock();
        try {
            timers.cancel(t);   // the loop may wake for nothing; it re-checks
        } finally {
            lock.unlock();
        }
    }

    /**
     * Queues softirq work. From inside enter/exit (or a timer) it runs at the outermost exit (or
     * next on the loop); from any other thread the event loop is woken to run it.
     */
    @Override public void post(Runnable r) {
        lock.lock();
        try {
            posted.add(r);
            if (lock.getHoldCount() == 1 && loopSleeping) loopWake.signal();
        } finally {
            lock.unlock();
        }
    }

    @Override public void enter() { lock.lock(); }

    @Override public void exit() {
        try {
            if (lock.getHoldCount() == 1) drainPosted();
        } finally {
            lock.unlock();
        }
    }

    /** Whether the calling thread holds the stack (for assertions in protocol code and tests). */
    public boolean held() { return lock.isHeldByCurrentThread(); }

    private void drainPosted() {
        if (draining) return; // posted work that re-enters must not recurse
        draining = true;
        try {
            Runnable r;
            while ((r = posted.poll()) != null) r.run();
        } finally {
            draining = false;
        }
    }

    /** The wait-queue entry of one blocked thread; reused across its waits. */
    private final class Waiter extends WaitQueue.Entry {
        final Condition wakeup = lock.newCondition();
        boolean woken;

        @Override protected void wake(int events) {
            woken = true;
            wakeup.signal();    // the waker holds the lock: wakeups come from protocol context
        }
    }

    @Override public int await(WaitQueue wq, long deadline) {
        if (!lock.isHeldByCurrentThread()) throw new IllegalStateException("await outside enter/exit");
        if (Thread.currentThread() == loop) throw new IllegalStateException("the event loop never sleeps on a socket");
        drainPosted();
        Waiter w = waiters.get();
        w.woken = false;
        wq.add(w);
        try {
            while (!w.woken) {
                if (deadline == Long.MAX_VALUE) {
                    w.wakeup.await();
                } else {
                    long left = deadline - clock.nanos();
                    if (left <= 0) return TIMED_OUT;
                    w.wakeup.awaitNanos(left);
                }
            }
            return WOKEN;
        } catch (InterruptedException e) {
            return w.woken ? WOKEN : INTERRUPTED;
        } finally {
            wq.remove(w);
        }
    }

    /** Starts the event loop thread. */
    public void start() {
        lock.lock();
        try {
            if (loop != null) throw new IllegalStateException("already started");
            stopping = false;
            loop = Thread.ofPlatform().name("jnetstack-softirq").daemon(true).unstarted(this::runLoop);
            loop.start();
        } finally {
            lock.unlock();
        }
    }

    /** Stops the event loop and waits for it to finish its current task; timers stay armed. */
    public void stop() {
        Thread t;
        lock.lock();
        try {
            t = loop;
            if (t == null) return;
            stopping = true;
            loopWake.signal();
        } finally {
            lock.unlock();
        }
        if (t == Thread.currentThread()) return;   // stopping from a timer: the loop ends after it
        boolean interrupted = false;
        for (;;) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    @Override public void close() { stop(); }

    /** Whether the calling thread is the event loop. */
    public boolean inEventLoop() { return Thread.currentThread() == loop; }

    public int pendingTimers() {
        lock.lock();
        try {
            return timers.size();
        } finally {
            lock.unlock();
        }
    }

    private void runLoop() {
        lock.lock();
        try {
            while (!stopping) {
                int batch = 0;
                for (;;) {
                    Runnable r = posted.poll();
                    if (r == null) {
                        Timer t = timers.pollDue(clock.nanos());
                        if (t == null) break;
                        r = t.action;
                    }
                    runSafely(r);
                    if (stopping) return;
                    if (++batch == LOOP_BATCH && lock.hasQueuedThreads()) {
                        // Let blocked callers in between batches (a busy softirq defers to
                        // ksoftirqd in Linux for the same reason).
                        lock.unlock();
                        Thread.yield();
                        lock.lock();
                        batch = 0;
                    }
                }
                long next = timers.nextDeadline();
                loopSleeping = true;
                loopSleepsUntil = next;
                try {
                    if (next == Long.MAX_VALUE) loopWake.await();
                    else loopWake.awaitNanos(next - clock.nanos());
                } catch (InterruptedException e) {
                    // Only stop() ends the loop; an interrupt just makes it look again.
                } finally {
                    loopSleeping = false;
                }
            }
        } finally {
            loop = null;
            lock.unlock();
        }
    }

    private static void runSafely(Runnable r) {
        try {
            r.run();
        } catch (Throwable t) {
            Thread th = Thread.currentThread();
            th.getUncaughtExceptionHandler().uncaughtException(th, t);
        }
    }

    @Override public String toString() {
        return "RealScheduler[timers " + timers.size() + (loop != null ? ", running" : "") + "]";
    }

}
