package io.jnetstack.link;

import static org.junit.jupiter.api.Assertions.*;

import io.jnetstack.time.SimScheduler;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoopbackTest {
    final SimScheduler sim = new SimScheduler(1_000);
    final Loopback lo = new Loopback(sim);
    final List<byte[]> got = new ArrayList<>();
    final List<Long> at = new ArrayList<>();

    void openRecording() {
        lo.open((dev, frame) -> {
            assertSame(lo, dev);
            got.add(frame.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
            at.add(sim.now());
        });
    }

    @Test void deviceLooksLikeLinuxLo() {
        assertEquals("lo", lo.name());
        assertEquals(NetDevice.ARPHRD_LOOPBACK, lo.type());
        assertEquals(65536, lo.mtu());
        assertEquals(NetDevice.F_TSO | NetDevice.F_HW_CSUM | NetDevice.F_RXCSUM, lo.features());
        assertNull(lo.hwAddr());
    }

    @Test void deliveredInSoftirqBeforeTheSyscallReturns() {
        openRecording();
        byte[] pkt = Packets.udp("127.0.0.1", "127.0.0.1", 1000, 2000, 1, "hello".getBytes());
        sim.enter();
        assertEquals(NetDevice.XMIT_SUCCESS, lo.transmit(MemorySegment.ofArray(pkt)));
        assertTrue(got.isEmpty(), "netif_rx only queues; the softirq delivers");
        pkt[27] ^= 1;   // the caller owns its buffer again: the device must have copied
        sim.exit();
        assertEquals(1, got.size());
        pkt[27] ^= 1;
        assertArrayEquals(pkt, got.get(0));
        assertEquals(1_000L, at.get(0), "same virtual instant");
        DeviceStats s = lo.stats();
        assertEquals(1, s.txPackets);
        assertEquals(1, s.rxPackets);
        assertEquals(pkt.length, s.txBytes);
        assertEquals(pkt.length, s.rxBytes);
    }

    @Test void repliesSentFromTheReceiverAreDeliveredInTheSameDrain() {
        // A ping-pong of 500 exchanges: each delivery transmits the next packet (more than WEIGHT
        // rounds, so the backlog task re-posts itself).
        byte[] pkt = Packets.udp("127.0.0.1", "127.0.0.1", 1, 2, 0, new byte[100]);
        int[] n = {0};
        lo.open((dev, frame) -> {
            if (++n[0] < 500) lo.transmit(frame);
        });
        sim.enter();
        lo.transmit(MemorySegment.ofArray(pkt));
        sim.exit();
        assertEquals(500, n[0]);
        assertEquals(2, lo.buffersAllocated(), "steady state: the buffer being delivered and the reply's");
        assertEquals(0, lo.backlogLength());
    }

    @Test void backlogOverflowDropsAndCountsLikeNetdevMaxBacklog() {
        openRecording();
        byte[] pkt = Packets.udp("127.0.0.1", "127.0.0.1", 1, 2, 0, new byte[10]);
        sim.enter();
        for (int i = 0; i < Loopback.MAX_BACKLOG + 5; i++) {
            assertEquals(NetDevice.XMIT_SUCCESS, lo.transmit(MemorySegment.ofArray(pkt)));
        }
        sim.exit();
        assertEquals(Loopback.MAX_BACKLOG, got.size());
        assertEquals(5, lo.stats().rxDropped);
    }

    @Test void closedDeviceAndOversizeFramesAreDropped() {
        byte[] pkt = Packets.udp("127.0.0.1", "127.0.0.1", 1, 2, 0, new byte[10]);
        assertEquals(NetDevice.XMIT_DROP, lo.transmit(MemorySegment.ofArray(pkt)));
        openRecording();
        assertEquals(NetDevice.XMIT_DROP, lo.transmit(MemorySegment.ofArray(new byte[65537])));
        assertEquals(NetDevice.XMIT_DROP, lo.transmit(MemorySegment.ofArray(new byte[0])));
        assertEquals(3, lo.stats().txDropped);
        sim.exit();
        assertTrue(got.isEmpty());
    }

    @Test void runsFromTheSimulationLoopToo() {
        // Posted work also runs when the driver loop finds it, before time moves.
        openRecording();
        lo.transmit(MemorySegment.ofArray(Packets.udp("127.0.0.1", "127.0.0.1", 1, 2, 0, new byte[1])));
        sim.runFor(5);
        assertEquals(List.of(1_000L), at);
    }

    @Test void aSleepingReceiverIsWokenAtTheSameInstant() {
        // Two application threads on the virtual clock: one blocks until a packet arrives, the
        // other sends at t = 7 ms; the receiver wakes at t = 7 ms.
        io.jnetstack.time.WaitQueue wq = new io.jnetstack.time.WaitQueue();
        List<byte[]> queue = new ArrayList<>();
        lo.open((dev, frame) -> {
            queue.add(frame.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
            wq.wakeUp(1);
        });
        long[] wokeAt = {-1};
        sim.spawn("rx", () -> {
            sim.enter();
            while (queue.isEmpty()) sim.await(wq, Long.MAX_VALUE);
            wokeAt[0] = sim.now();
            sim.exit();
        });
        sim.spawn("tx", () -> {
            sim.enter();
            sim.await(new io.jnetstack.time.WaitQueue(), sim.now() + 7_000_000);   // sleep 7 ms
            lo.transmit(MemorySegment.ofArray(Packets.udp("127.0.0.1", "127.0.0.1", 1, 2, 0, new byte[1])));
            sim.exit();
        });
        sim.run();
        assertEquals(1_000 + 7_000_000, wokeAt[0]);
    }
}
