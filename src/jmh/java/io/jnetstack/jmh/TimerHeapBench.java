package io.jnetstack.jmh;

import io.jnetstack.time.Timer;
import io.jnetstack.time.TimerHeap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.*;

/**
 * The timer heap with 10 000 armed timers (a busy server's RTO and delayed-ACK timers): re-arm one
 * (what every ACK does to the RTO), cancel and re-arm, and poll the due one.
 */
@BenchmarkMode(Mode.AverageTime) @OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1) @Measurement(iterations = 5, time = 1) @Fork(1)
@State(Scope.Thread)
public class TimerHeapBench {
    static final int N = 10_000;
    final TimerHeap heap = new TimerHeap();
    final Timer[] timers = new Timer[N];
    long now;
    int next;

    @Setup public void setup() {
        for (int i = 0; i < N; i++) {
            timers[i] = new Timer("t" + i, () -> {});
            heap.arm(timers[i], 1_000_000L + i * 1000L);
        }
        now = 1_000_000L + N * 1000L;
    }

    @Benchmark public long rearm() {
        Timer t = timers[next++ % N];
        heap.arm(t, ++now + 200_000_000L);
        return heap.nextDeadline();
    }

    @Benchmark public long cancelAndArm() {
        Timer t = timers[next++ % N];
        heap.cancel(t);
        heap.arm(t, ++now + 200_000_000L);
        return heap.nextDeadline();
    }

    @Benchmark public Timer pollDueAndRearm() {
        Timer t = heap.pollDue(Long.MAX_VALUE);
        heap.arm(t, ++now + 200_000_000L);
        return t;
    }
}
