package io.jnetstack.time;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Real threads, bounded waits, latches for every hand-off: never a sleep as synchronization. */
@Timeout(30)
class RealSchedulerTest {
    static final long MS = 1_000_000L;
    final RealScheduler s = new RealScheduler();

    @AfterEach void stop() { s.stop(); }

    @Test void usesTheMonotonicClock() {
        assertSame(Clock.MONOTONIC, s.clock());
    }

    @Test void timersFireOnTheEventLoopInDeadlineOrderHoldingTheLock() throws InterruptedException {
        s.start();
        List<String> fired = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(3);
        long now = s.now();
        for (String n : List.of("c", "a", "b")) {
            Timer t = new Timer(n, () -> {
                assertTrue(s.inEventLoop());
                assertTrue(s.held());
                fired.add(n);
                done.countDown();
            });
            s.arm(t, now + switch (n) { case "a" -> 1 * MS; case "b" -> 2 * MS; default -> 3 * MS; });
        }
        assertTrue(done.await(5, SECONDS));
        assertEquals(List.of("a", "b", "c"), fired);
        assertEquals(0, s.pendingTimers());
    }

    @Test void timerFiresNoEarlierThanItsDeadline() throws InterruptedException {
        s.start();
        CountDownLatch done = new CountDownLatch(1);
        long[] firedAt = new long[1];
        long deadline = s.now() + 20 * MS;
        s.arm(new Timer("t", () -> { firedAt[0] = s.now(); done.countDown(); }), deadline);
        assertTrue(done.await(5, SECONDS));
        assertTrue(firedAt[0] >= deadline);
    }

    @Test void armingAnEarlierTimerWakesTheLoopSleepingTowardsALaterOne() throws InterruptedException {
        s.start();
        s.arm(new Timer("far", () -> {}), s.now() + 3_600 * 1_000 * MS);
        CountDownLatch done = new CountDownLatch(1);
        s.arm(new Timer("near", done::countDown), s.now() + MS);
        assertTrue(done.await(5, SECONDS));
    }

    @Test void cancelledTimerDoesNotFire() throws InterruptedException {
        s.start();
        AtomicInteger fired = new AtomicInteger();
        Timer t = new Timer("x", fired::incrementAndGet);
        s.arm(t, s.now() + 30 * MS);
        s.cancel(t);
        CountDownLatch after = new CountDownLatch(1);
        s.arm(new Timer("y", after::countDown), s.now() + 60 * MS);
        assertTrue(after.await(5, SECONDS));
        assertEquals(0, fired.get());
    }

    @Test void exitRunsPostedWorkWhileStillHoldingTheLock() {
        List<String> log = new ArrayList<>();
        s.enter();
        s.post(() -> { assertTrue(s.held()); log.add("softirq"); });
        s.enter();              // nested: only the outermost exit drains
        s.exit();
        assertTrue(log.isEmpty());
        log.add("syscall");
        s.exit();
        assertEquals(List.of("syscall", "softirq"), log);
        assertFalse(s.held());
    }

    @Test void postedWorkMayPostMore() {
        List<Integer> log = new ArrayList<>();
        s.enter();
        s.post(() -> { log.add(1); s.post(() -> log.add(2)); });
        s.exit();
        assertEquals(List.of(1, 2), log);
    }

    @Test void postFromAForeignThreadRunsOnTheLoop() throws InterruptedException {
        s.start();
        CountDownLatch ran = new CountDownLatch(1);
        AtomicReference<Boolean> onLoop = new AtomicReference<>();
        Thread t = Thread.ofPlatform().start(() -> s.post(() -> { onLoop.set(s.inEventLoop() && s.held()); ran.countDown(); }));
        t.join(5_000);
        assertTrue(ran.await(5, SECONDS));
        assertTrue(onLoop.get());
    }

    @Test void awaitIsWokenByAnotherThreadsWakeUp() throws Exception {
        WaitQueue wq = new WaitQueue();
        CountDownLatch aboutToWait = new CountDownLatch(1);
        AtomicInteger result = new AtomicInteger(-1);
        Thread sleeper = Thread.ofPlatform().start(() -> {
            s.enter();
            try {
                aboutToWait.countDown();        // still holding the lock: the waker cannot enter before we sleep
                result.set(s.await(wq, Long.MAX_VALUE));
                assertTrue(s.held(), "ownership is held again on return");
            } finally {
                s.exit();
            }
        });
        assertTrue(aboutToWait.await(5, SECONDS));
        s.enter();
        try {
            assertFalse(wq.isEmpty(), "the sleeper is queued by the time the lock is free");
            wq.wakeUp(1);
        } finally {
            s.exit();
        }
        sleeper.join(5_000);
        assertFalse(sleeper.isAlive());
        assertEquals(Scheduler.WOKEN, result.get());
        assertTrue(wq.isEmpty(), "the entry leaves the queue");
    }

    @Test void awaitIsWokenByATimerOnTheLoop() {
        s.start();
        WaitQueue wq = new WaitQueue();
        s.enter();
        try {
            s.arm(new Timer("wake", () -> wq.wakeUp(1)), s.now() + 5 * MS);
            assertEquals(Scheduler.WOKEN, s.await(wq, s.now() + 10_000 * MS));
        } finally {
            s.exit();
        }
    }

    @Test void awaitTimesOutAtItsDeadline() {
        WaitQueue wq = new WaitQueue();
        s.enter();
        try {
            long deadline = s.now() + 20 * MS;
            assertEquals(Scheduler.TIMED_OUT, s.await(wq, deadline));
            assertTrue(s.now() >= deadline);
            assertTrue(s.held());
            assertTrue(wq.isEmpty());
            assertEquals(Scheduler.TIMED_OUT, s.await(wq, deadline), "a past deadline returns at once");
        } finally {
            s.exit();
        }
    }

    @Test void awaitReleasesTheLockSoOthersCanEnter() throws Exception {
        WaitQueue wq = new WaitQueue();
        CountDownLatch entered = new CountDownLatch(1);
        s.enter();
        try {
            s.enter();  // nested twice: await must release every hold
            Thread other = Thread.ofPlatform().start(() -> {
                s.enter();
                entered.countDown();
                wq.wakeUp(1);
                s.exit();
            });
            assertEquals(Scheduler.WOKEN, s.await(wq, s.now() + 10_000 * MS));
            assertTrue(entered.await(0, SECONDS));
            other.join(5_000);
            s.exit();
            assertTrue(s.held(), "hold count restored");
        } finally {
            s.exit();
        }
        assertFalse(s.held());
    }

    @Test void interruptIsASignal() throws Exception {
        WaitQueue wq = new WaitQueue();
        CountDownLatch aboutToWait = new CountDownLatch(1);
        AtomicInteger result = new AtomicInteger(-1);
        Thread sleeper = Thread.ofPlatform().start(() -> {
            s.enter();
            try {
                aboutToWait.countDown();
                result.set(s.await(wq, Long.MAX_VALUE));
            } finally {
                s.exit();
            }
        });
        assertTrue(aboutToWait.await(5, SECONDS));
        s.enter();      // the sleeper is now inside await (it held the lock until then)
        s.exit();
        sleeper.interrupt();
        sleeper.join(5_000);
        assertEquals(Scheduler.INTERRUPTED, result.get());
    }

    @Test void awaitOutsideEnterIsAProgrammingError() {
        assertThrows(IllegalStateException.class, () -> s.await(new WaitQueue(), 0));
    }

    @Test void aFailingTimerDoesNotStopTheLoop() throws InterruptedException {
        CountDownLatch reported = new CountDownLatch(1);
        s.start();
        // Route the loop's uncaught-exception report to a latch (the loop thread's handler is the default one).
        Thread.UncaughtExceptionHandler old = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> reported.countDown());
        try {
            s.arm(new Timer("boom", () -> { throw new IllegalStateException("boom"); }), s.now());
            CountDownLatch after = new CountDownLatch(1);
            s.arm(new Timer("after", after::countDown), s.now() + MS);
            assertTrue(reported.await(5, SECONDS));
            assertTrue(after.await(5, SECONDS));
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(old);
        }
    }

    @Test void stopEndsTheLoopAndStartWorksAgain() throws InterruptedException {
        s.start();
        assertThrows(IllegalStateException.class, s::start);
        s.stop();
        s.stop();
        s.start();
        CountDownLatch done = new CountDownLatch(1);
        s.arm(new Timer("t", done::countDown), s.now());
        assertTrue(done.await(5, SECONDS));
    }

    @Test void manyThreadsPingPongThroughOneWaitQueue() throws Exception {
        // Two threads alternate a counter to 2000 through one wait queue, re-checking their
        // condition after every wakeup as sk_wait_event callers do.
        s.start();
        WaitQueue wq = new WaitQueue();
        int[] counter = {0};
        Runnable player0 = player(wq, counter, 0), player1 = player(wq, counter, 1);
        Thread t0 = Thread.ofPlatform().start(player0), t1 = Thread.ofPlatform().start(player1);
        t0.join(20_000);
        t1.join(20_000);
        assertFalse(t0.isAlive() || t1.isAlive());
        assertEquals(2000, counter[0]);
    }

    private Runnable player(WaitQueue wq, int[] counter, int parity) {
        return () -> {
            s.enter();
            try {
                while (counter[0] < 2000) {
                    if (counter[0] % 2 == parity) {
                        counter[0]++;
                        wq.wakeUp(1);
                    } else {
                        s.await(wq, s.now() + 5_000 * MS);
                    }
                }
            } finally {
                s.exit();
            }
        };
    }
}
