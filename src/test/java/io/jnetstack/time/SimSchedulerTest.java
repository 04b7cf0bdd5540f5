package io.jnetstack.time;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimSchedulerTest {
    @Test void timersFireInDeadlineThenArmingOrder() {
        SimScheduler s = new SimScheduler();
        List<String> fired = new ArrayList<>();
        Timer a = new Timer("a", () -> fired.add("a@" + s.now()));
        Timer b = new Timer("b", () -> fired.add("b@" + s.now()));
        Timer c = new Timer("c", () -> fired.add("c@" + s.now()));
        s.arm(b, 200);
        s.arm(a, 100);
        s.arm(c, 200);
        s.runUntilIdle(Long.MAX_VALUE - 1);
        assertEquals(List.of("a@100", "b@200", "c@200"), fired);
    }

    @Test void rearmAndCancel() {
        SimScheduler s = new SimScheduler();
        List<Long> fired = new ArrayList<>();
        Timer t = new Timer("t", () -> fired.add(s.now()));
        s.arm(t, 100);
        s.arm(t, 50);
        Timer u = new Timer("u", () -> fired.add(-1L));
        s.arm(u, 70);
        s.cancel(u);
        s.runFor(1000);
        assertEquals(List.of(50L), fired);
        assertEquals(1000, s.now());
    }

    @Test void appThreadsTakeTurnsDeterministically() {
        for (int run = 0; run < 3; run++) {
            SimScheduler s = new SimScheduler();
            WaitQueue wq = new WaitQueue();
            List<String> log = new ArrayList<>();
            boolean[] ready = {false};
            s.spawn("consumer", () -> {
                while (!ready[0]) assertEquals(Scheduler.WOKEN, s.await(wq, Long.MAX_VALUE));
                log.add("consumed@" + s.now());
            });
            s.spawn("producer", () -> {
                log.add("producing@" + s.now());
                Timer t = new Timer("later", () -> { ready[0] = true; wq.wakeUp(1); });
                s.arm(t, s.now() + 5_000_000);
            });
            s.run();
            assertEquals(List.of("producing@0", "consumed@5000000"), log);
        }
    }

    @Test void awaitTimesOutOnTheVirtualClock() {
        SimScheduler s = new SimScheduler();
        WaitQueue wq = new WaitQueue();
        int[] r = {-1};
        s.spawn("sleeper", () -> r[0] = s.await(wq, 2_000_000_000L));
        s.run();
        assertEquals(Scheduler.TIMED_OUT, r[0]);
        assertEquals(2_000_000_000L, s.now());
    }

    @Test void sleepingForeverIsInterruptedWhenNothingIsLeft() {
        SimScheduler s = new SimScheduler();
        int[] r = {-1};
        s.spawn("stuck", () -> r[0] = s.await(new WaitQueue(), Long.MAX_VALUE));
        s.run();
        assertEquals(Scheduler.INTERRUPTED, r[0]);
    }

    @Test void inlineDriverRunsTheSimulationUntilWoken() {
        SimScheduler s = new SimScheduler();
        WaitQueue wq = new WaitQueue();
        s.arm(new Timer("wake", () -> wq.wakeUp(1)), 300);
        assertEquals(Scheduler.WOKEN, s.await(wq, Long.MAX_VALUE));
        assertEquals(300, s.now());
        assertEquals(Scheduler.TIMED_OUT, s.await(wq, 1000));
        assertEquals(1000, s.now());
    }

    @Test void appFailureIsRethrownByRun() {
        SimScheduler s = new SimScheduler();
        s.spawn("boom", () -> { throw new IllegalStateException("boom"); });
        assertThrows(IllegalStateException.class, s::run);
    }

    /** A wake-up from posted softirq work (a loopback handshake) must reach a sleeper: regression. */
    @Test void wakeFromPostedWorkIsNotLost() {
        SimScheduler s = new SimScheduler();
        WaitQueue wq = new WaitQueue();
        boolean[] done = {false};
        int[] r = {-1};
        s.spawn("connect", () -> {
            s.post(() -> { done[0] = true; wq.wakeUp(1); });
            while (!done[0]) r[0] = s.await(wq, Long.MAX_VALUE);
        });
        s.run();
        assertEquals(Scheduler.WOKEN, r[0]);
    }
}
