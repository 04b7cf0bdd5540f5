package io.jnetstack.time;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.function.BooleanSupplier;

/**
 * A deterministic scheduler on a virtual clock, shared by every stack of one simulated network.
 *
 * <p>Time advances only when nothing is runnable: no application thread is ready, no posted softirq
 * work is pending and no timer is due. Then the clock jumps to the next timer. Application code is
 * written in the ordinary blocking style; each {@link #spawn spawned} thread runs only while it holds
 * the baton, handed out one at a time in a fixed order by the driving thread, so a run with the same
 * seed produces the same packets byte for byte no matter how the JVM schedules threads.
 *
 * <p>Two ways to drive it: a test or program spawns application threads and calls {@link #run()};
 * or a single caller issues system calls directly from its own thread, and each blocking call runs
 * the simulation inline until the caller is woken (used by the differential tests).
 */
public final class SimScheduler implements Scheduler, Clock {
    private long now;
    private final TimerHeap timers = new TimerHeap();
    private final ArrayDeque<Runnable> posted = new ArrayDeque<>();
    private final ArrayDeque<App> runnable = new ArrayDeque<>();
    private final List<App> apps = new ArrayList<>();
    private final Semaphore driverTurn = new Semaphore(0);
    private App current;            // the application thread holding the baton, if any
    private Throwable appFailure;
    private boolean draining;

    public SimScheduler() { this(0); }

    public SimScheduler(long startNanos) { this.now = startNanos; }

    @Override public Clock clock() { return this; }

    @Override public long nanos() { return now; }

    @Override public void arm(Timer t, long deadline) { timers.arm(t, Math.max(deadline, now)); }

    @Override public void cancel(Timer t) { timers.cancel(t); }

    @Override public void post(Runnable r) { posted.add(r); }

    @Override public void enter() {}

    @Override public void exit() { drainPosted(); }

    /** Runs posted softirq work until none is left (work may post more). */
    private void drainPosted() {
        if (draining) return; // a posted task that calls back into a syscall must not recurse
        draining = true;
        try {
            Runnable r;
            while ((r = posted.poll()) != null) r.run();
        } finally {
            draining = false;
        }
    }

    /** An application thread of the simulation. */
    private final class App extends WaitQueue.Entry {
        final String name;
        final Semaphore turn = new Semaphore(0);
        final Timer timeout;
        Thread thread;
        boolean queued, done, timedOut, interrupted, sleeping;

        App(String name) {
            this.name = name;
            this.timeout = new Timer(name + ".timeout", () -> { timedOut = true; makeRunnable(); });
        }

        @Override protected void wake(int events) { makeRunnable(); }

        void makeRunnable() {
            if (!queued && !done && sleeping) {
                queued = true;
                runnable.add(this);
            }
        }
    }

    /**
     * Starts an application thread; it first runs when the driver reaches it in {@link #run()}, in
     * spawn order. May be called from the driver or from another application thread.
     */
    public void spawn(String name, Runnable body) {
        App app = new App(name);
        apps.add(app);
        app.sleeping = true;
        app.thread = Thread.ofPlatform().name("sim-" + name).daemon(true).unstarted(() -> {
            app.turn.acquireUninterruptibly();
            try {
                body.run();
            } catch (Throwable t) {
                if (appFailure == null) appFailure = t;
            } finally {
                app.done = true;
                current = null;
                driverTurn.release();
            }
        });
        app.thread.start();
        app.makeRunnable();
    }

    /** Runs until every application thread has finished. Rethrows the first application failure. */
    public void run() {
        runUntil(() -> apps.stream().allMatch(a -> a.done), Long.MAX_VALUE);
        apps.removeIf(a -> a.done);
        if (appFailure != null) {
            Throwable t = appFailure;
            appFailure = null;
            if (t instanceof RuntimeException re) throw re;
            if (t instanceof Error e) throw e;
            throw new IllegalStateException(t);
        }
    }

    /** Advances the simulation by {@code nanos} of virtual time, running everything due. */
    public void runFor(long nanos) { runUntil(() -> false, now + nanos); }

    /** Runs until nothing is runnable and no timer is left, or the deadline. */
    public void runUntilIdle(long deadline) { runUntil(() -> false, deadline); }

    /**
     * The driver loop. Returns when {@code stop} holds, or when the clock would pass
     * {@code deadline} (the clock is then left at the deadline), or when nothing at all is left to
     * do. Application threads still asleep without a deadline at that point are interrupted.
     */
    public void runUntil(BooleanSupplier stop, long deadline) {
        for (;;) {
            if (stop.getAsBoolean()) return;
            App next = runnable.poll();
            if (next != null) {
                next.queued = false;
                next.sleeping = false;
                current = next;
                next.turn.release();
                driverTurn.acquireUninterruptibly();
                current = null;
                continue;
            }
            if (!posted.isEmpty()) { drainPosted(); continue; }
            Timer t = timers.pollDue(now);
            if (t != null) { t.action.run(); continue; }
            long nd = timers.nextDeadline();
            if (nd != Long.MAX_VALUE && nd <= deadline) { now = nd; continue; }
            if (deadline != Long.MAX_VALUE) { now = Math.max(now, deadline); return; }
            // Nothing left to run, and no timer: whoever still sleeps would sleep forever.
            boolean any = false;
            for (App a : apps) {
                if (!a.done && a.sleeping && !a.queued) {
                    a.interrupted = true;
                    a.makeRunnable();
                    any = true;
                }
            }
            if (!any) return;
        }
    }

    @Override
    public int await(WaitQueue wq, long deadline) {
        App me = current;
        if (me != null && me.thread == Thread.currentThread()) return awaitAsApp(me, wq, deadline);
        return awaitInline(wq, deadline);
    }

    private int awaitAsApp(App me, WaitQueue wq, long deadline) {
        // Posted work is left to the driver: it may be exactly what wakes us (a loopback handshake),
        // so we must be on the queue before it runs.
        me.timedOut = me.interrupted = false;
        me.sleeping = true;
        wq.add(me);
        if (deadline != Long.MAX_VALUE) timers.arm(me.timeout, Math.max(deadline, now));
        current = null;
        driverTurn.release();
        me.turn.acquireUninterruptibly();
        current = me;
        wq.remove(me);
        timers.cancel(me.timeout);
        if (me.interrupted) return INTERRUPTED;
        return me.timedOut ? TIMED_OUT : WOKEN;
    }

    /** The calling thread drives the simulation itself until it is woken. */
    private int awaitInline(WaitQueue wq, long deadline) {
        final boolean[] woken = {false};
        WaitQueue.Entry e = new WaitQueue.Entry() {
            @Override protected void wake(int events) { woken[0] = true; }
        };
        wq.add(e);
        try {
            drainPosted();
            runUntil(() -> woken[0], deadline);
            if (woken[0]) return WOKEN;
            return deadline != Long.MAX_VALUE && now >= deadline ? TIMED_OUT : INTERRUPTED;
        } finally {
            wq.remove(e);
        }
    }

    /** Number of armed timers (for tests and leak checks). */
    public int pendingTimers() { return timers.size(); }
}
