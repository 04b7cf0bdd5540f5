package io.jnetstack.link;

import static org.junit.jupiter.api.Assertions.*;

import io.jnetstack.time.SimScheduler;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** The data path allocates nothing per packet once warm (buffers pooled, views and tasks reused). */
class SteadyStateAllocationTest {
    static final int N = 200_000;

    static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    @Test void wireAndLoopback() {
        SimScheduler sim = new SimScheduler();
        Wire w = Wire.create(sim, 1, WireConfig.DEFAULT.withDelay(1000).withJitter(500).withLoss(0.01)
                .withCorrupt(0.01).withDuplicate(0.01).withRate(10_000_000_000L), WireConfig.DEFAULT);
        Loopback lo = new Loopback(sim);
        long[] received = {0};
        w.b().open((dev, f) -> received[0]++);
        lo.open((dev, f) -> received[0]++);
        MemorySegment pkt = MemorySegment.ofArray(Packets.udp("10.0.0.1", "10.0.0.2", 1, 2, 0, new byte[1400]));
        Runnable round = () -> {
            for (int i = 0; i < 100; i++) {
                w.a().transmit(pkt);
                sim.enter();
                lo.transmit(pkt);
                sim.exit();
            }
            sim.runUntilIdle(Long.MAX_VALUE);   // one small lambda per 100 packets, in the harness
        };
        for (int i = 0; i < N / 100; i++) round.run();          // warm up: JIT, pools, heap arrays
        long before = allocatedBytes();
        for (int i = 0; i < N / 100; i++) round.run();
        long perPacket = (allocatedBytes() - before) / (2L * N);
        assertTrue(perPacket < 4, "bytes allocated per packet: " + perPacket);
        assertTrue(received[0] > 3 * N);
    }
}
