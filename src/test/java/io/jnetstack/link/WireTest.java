package io.jnetstack.link;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.*;

import io.jnetstack.time.SimScheduler;
import java.lang.foreign.MemorySegment;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class WireTest {
    static final long MS = 1_000_000L;

    final SimScheduler sim = new SimScheduler();

    /** What arrived at one end: time, IP id and bytes. */
    record Arrival(long at, int id, byte[] bytes) {}

    static List<Arrival> record(NetDevice end, SimScheduler sim) {
        List<Arrival> got = new ArrayList<>();
        end.open((dev, frame) -> {
            assertSame(end, dev);
            got.add(new Arrival(sim.now(), Packets.ipId(frame), frame.toArray(JAVA_BYTE)));
        });
        return got;
    }

    static byte[] packet(int id, int size) {
        byte[] payload = new byte[size - 28];
        for (int i = 0; i < payload.length; i++) payload[i] = (byte) (id * 31 + i);
        return Packets.udp("10.0.0.1", "10.0.0.2", 5000, 6000, id & 0xFFFF, payload);
    }

    /** Sends {@code n} packets from a, one every {@code gapNs}, then runs until all is delivered. */
    static void send(SimScheduler sim, Wire w, int n, int size, long gapNs) {
        for (int i = 0; i < n; i++) {
            w.a().transmit(MemorySegment.ofArray(packet(i, size)));
            if (gapNs > 0) sim.runFor(gapNs);
        }
        sim.runUntilIdle(Long.MAX_VALUE);
    }

    @Test void perfectWireDeliversAfterTheDelayInOrder() {
        Wire w = Wire.create(sim, 1, WireConfig.DEFAULT.withDelay(5 * MS), WireConfig.DEFAULT);
        List<Arrival> got = record(w.b(), sim);
        record(w.a(), sim);
        byte[] p = packet(7, 100);
        assertEquals(NetDevice.XMIT_SUCCESS, w.a().transmit(MemorySegment.ofArray(p)));
        p[30] ^= 1; // the sender's buffer is its own again: the wire copied
        sim.runFor(5 * MS - 1);
        assertTrue(got.isEmpty());
        sim.runFor(1);
        assertEquals(1, got.size());
        p[30] ^= 1;
        assertArrayEquals(p, got.get(0).bytes());
        assertEquals(5 * MS, got.get(0).at());
        assertEquals(1, w.a().stats().txPackets);
        assertEquals(1, w.b().stats().rxPackets);
        assertEquals(1, w.statsAb().delivered);
        assertEquals(0, w.statsBa().sent);
        assertEquals(NetDevice.ARPHRD_NONE, w.a().type());
        assertEquals(1500, w.a().mtu());
    }

    @Test void equalDeliveryTimesKeepSendingOrder() {
        Wire w = Wire.create(sim, 1, WireConfig.DEFAULT.withDelay(MS), WireConfig.DEFAULT);
        List<Arrival> got = record(w.b(), sim);
        send(sim, w, 200, 60, 0);
        for (int i = 0; i < 200; i++) assertEquals(i, got.get(i).id());
    }

    static final WireConfig EVERYTHING = WireConfig.DEFAULT.withDelay(20 * MS).withJitter(5 * MS)
            .withLoss(0.02).withDuplicate(0.02).withCorrupt(0.02).withReorder(0.1, 3).withRate(50_000_000);

    static String digestOfRun(long seed) throws Exception {
        SimScheduler s = new SimScheduler();
        Wire w = Wire.create(s, seed, EVERYTHING, EVERYTHING.withJitterReorders(true));
        List<Arrival> ab = record(w.b(), s), ba = record(w.a(), s);
        for (int i = 0; i < 5000; i++) {
            w.a().transmit(MemorySegment.ofArray(packet(i, 60 + i % 1400)));
            if (i % 3 == 0) w.b().transmit(MemorySegment.ofArray(packet(i, 60 + i % 700)));
            s.runFor(100_000);
        }
        s.runUntilIdle(Long.MAX_VALUE);
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        for (List<Arrival> l : List.of(ab, ba)) {
            for (Arrival a : l) {
                md.update(Long.toString(a.at()).getBytes());
                md.update(a.bytes());
            }
        }
        return HexFormat.of().formatHex(md.digest()) + " " + w.statsAb() + " / " + w.statsBa();
    }

    @Test void sameSeedSameDeliveriesByteForByte_differentSeedDiffers() throws Exception {
        String one = digestOfRun(42), two = digestOfRun(42), other = digestOfRun(43);
        assertEquals(one, two);
        assertNotEquals(one, other);
    }

    @Test void trafficOneWayDoesNotShiftImpairmentsTheOtherWay() {
        WireConfig lossy = WireConfig.DEFAULT.withLoss(0.3);
        List<Integer> quiet = idsArrivingAtB(lossy, false), busy = idsArrivingAtB(lossy, true);
        assertEquals(quiet, busy);
    }

    private static List<Integer> idsArrivingAtB(WireConfig cfg, boolean reverseTraffic) {
        SimScheduler s = new SimScheduler();
        Wire w = Wire.create(s, 9, cfg, cfg);
        List<Arrival> got = record(w.b(), s);
        record(w.a(), s);
        for (int i = 0; i < 1000; i++) {
            w.a().transmit(MemorySegment.ofArray(packet(i, 60)));
            if (reverseTraffic) w.b().transmit(MemorySegment.ofArray(packet(i, 60)));
        }
        s.runUntilIdle(Long.MAX_VALUE);
        return got.stream().map(Arrival::id).toList();
    }

    @Test void lossOnePercentOver100kPackets() {
        Wire w = Wire.create(sim, 7, WireConfig.DEFAULT.withLoss(0.01), WireConfig.DEFAULT);
        List<Arrival> got = record(w.b(), sim);
        send(sim, w, 100_000, 40, 1000);
        WireStats s = w.statsAb();
        assertEquals(100_000, s.sent);
        assertEquals(0.01, s.lost / 100_000.0, 0.002, s.toString());
        assertEquals(s.sent - s.lost, s.delivered);
        assertEquals(s.delivered, got.size());
        assertTrue(w.a().buffersAllocated() <= 2, "one pooled buffer per size class in steady state");
    }

    @Test void gilbertElliottLossIsBursty() {
        var ge = WireConfig.GilbertElliott.gilbert(0.01, 0.25);   // mean loss 3.85 %, bursts of 4
        Wire w = Wire.create(sim, 7, WireConfig.DEFAULT.withBurstLoss(ge), WireConfig.DEFAULT);
        List<Arrival> got = record(w.b(), sim);
        send(sim, w, 100_000, 40, 1000);
        assertEquals(ge.meanLoss(), w.statsAb().lost / 100_000.0, 0.005);
        // Count loss bursts from gaps in the ids that arrived.
        int bursts = 0, prev = -1;
        for (Arrival a : got) {
            int id = a.id();
            int expected = (prev + 1) & 0xFFFF;
            if (id != expected) bursts++;
            prev = id;
        }
        double meanBurst = (double) w.statsAb().lost / bursts;
        assertEquals(4.0, meanBurst, 0.4, "mean burst length 1/r");
    }

    @Test void duplicateDeliversTwice() {
        Wire w = Wire.create(sim, 7, WireConfig.DEFAULT.withDuplicate(1.0), WireConfig.DEFAULT);
        List<Arrival> got = record(w.b(), sim);
        send(sim, w, 10, 100, 0);
        assertEquals(20, got.size());
        for (int i = 0; i < 10; i++) {
            assertArrayEquals(packet(i, 100), got.get(2 * i).bytes());
            assertArrayEquals(packet(i, 100), got.get(2 * i + 1).bytes());
        }
        assertEquals(10, w.statsAb().duplicated);
        assertEquals(20, w.b().stats().rxPackets);
        assertEquals(10, w.a().stats().txPackets);
    }

    @Test void duplicateRateWithinTolerance() {
        Wire w = Wire.create(sim, 3, WireConfig.DEFAULT.withDuplicate(0.05), WireConfig.DEFAULT);
        List<Arrival> got = record(w.b(), sim);
        send(sim, w, 100_000, 40, 1000);
        assertEquals(0.05, w.statsAb().duplicated / 100_000.0, 0.003);
        assertEquals(100_000 + w.statsAb().duplicated, got.size());
    }

    @Test void corruptionFlipsExactlyOneBit() {
        Wire w = Wire.create(sim, 5, WireConfig.DEFAULT.withCorrupt(1.0), WireConfig.DEFAULT);
        List<Arrival> got = record(w.b(), sim);
        send(sim, w, 1000, 200, 0);
        assertEquals(1000, got.size());
        assertEquals(1000, w.statsAb().corrupted);
        for (int i = 0; i < 1000; i++) {
            byte[] sent = packet(i, 200), recv = got.get(i).bytes();
            int flipped = 0;
            for (int k = 0; k < sent.length; k++) flipped += Integer.bitCount((sent[k] ^ recv[k]) & 0xFF);
            assertEquals(1, flipped, "packet " + i);
        }
    }

    @Test void corruptionRateWithinTolerance() {
        Wire w = Wire.create(sim, 5, WireConfig.DEFAULT.withCorrupt(0.01), WireConfig.DEFAULT);
        record(w.b(), sim);
        send(sim, w, 100_000, 40, 1000);
        assertEquals(0.01, w.statsAb().corrupted / 100_000.0, 0.002);
    }

    @Test void reorderLetsPacketsSkipTheDelay() {
        Wire w = Wire.create(sim, 11, WireConfig.DEFAULT.withDelay(10 * MS).withReorder(0.25), WireConfig.DEFAULT);
        List<Arrival> got = record(w.b(), sim);
        send(sim, w, 100_000, 40, MS / 10);
        WireStats s = w.statsAb();
        assertEquals(0.25, s.reordered / 100_000.0, 0.01);
        int inversions = 0;
        for (int i = 1; i < got.size(); i++) if (got.get(i).id() < got.get(i - 1).id() && got.get(i - 1).id() - got.get(i).id() < 1000) inversions++;
        assertTrue(inversions > 1000, "out-of-order arrivals: " + inversions);
        assertEquals(100_000, got.size());
    }

    @Test void reorderGapOnlyAfterGapMinusOneNormalPackets() {
        // netem "reorder 100% gap 5": every 5th packet goes immediately.
        Wire w = Wire.create(sim, 11, WireConfig.DEFAULT.withDelay(10 * MS).withReorder(1.0, 5), WireConfig.DEFAULT);
        List<Arrival> got = record(w.b(), sim);
        send(sim, w, 10, 60, 0);
        assertEquals(List.of(4, 9, 0, 1, 2, 3, 5, 6, 7, 8), got.stream().map(Arrival::id).toList());
        assertEquals(0, got.get(0).at());
        assertEquals(10 * MS, got.get(2).at());
        assertEquals(2, w.statsAb().reordered);
    }

    @Test void jitterKeepsFifoOrderUnlessAllowedToReorder() {
        WireConfig c = WireConfig.DEFAULT.withDelay(10 * MS).withJitter(5 * MS);
        Wire fifo = Wire.create(sim, 1, c, c);
        List<Arrival> inOrder = record(fifo.b(), sim);
        send(sim, fifo, 10_000, 60, MS / 10);
        for (int i = 1; i < inOrder.size(); i++) assertTrue(inOrder.get(i).at() >= inOrder.get(i - 1).at());
        for (int i = 0; i < inOrder.size(); i++) assertEquals(i & 0xFFFF, inOrder.get(i).id());

        SimScheduler s2 = new SimScheduler();
        Wire netem = Wire.create(s2, 1, c.withJitterReorders(true), c);
        List<Arrival> mixed = record(netem.b(), s2);
        send(s2, netem, 10_000, 60, MS / 10);
        long swaps = 0;
        for (int i = 1; i < mixed.size(); i++) if (mixed.get(i).id() < mixed.get(i - 1).id()) swaps++;
        assertTrue(swaps > 100, "jitter reorders: " + swaps);
        assertEquals(10_000, mixed.size());
    }

    @Test void uniformJitterStaysWithinBounds() {
        Wire w = Wire.create(sim, 2, WireConfig.DEFAULT.withDelay(10 * MS).withJitter(2 * MS).withJitterReorders(true), WireConfig.DEFAULT);
        List<Long> delays = new ArrayList<>();
        long[] sentAt = new long[1000];
        w.b().open((dev, f) -> delays.add(sim.now() - sentAt[Packets.ipId(f)]));
        for (int i = 0; i < 1000; i++) {
            sentAt[i] = sim.now();
            w.a().transmit(MemorySegment.ofArray(packet(i, 60)));
            sim.runFor(MS);
        }
        sim.runUntilIdle(Long.MAX_VALUE);
        assertEquals(1000, delays.size());
        assertTrue(delays.stream().allMatch(d -> d >= 8 * MS && d <= 12 * MS));
        double mean = delays.stream().mapToLong(Long::longValue).average().orElseThrow();
        assertEquals(10 * MS, mean, 0.1 * MS);
    }

    @Test void rateLimitingDeliversAtTheConfiguredThroughput() {
        // 10 Mbit/s: 1000 packets of 1250 bytes take exactly 1 s of serialization.
        Wire w = Wire.create(sim, 1, WireConfig.DEFAULT.withRate(10_000_000).withDelay(MS).withQueueBytes(2_000_000).withLimit(2000), WireConfig.DEFAULT);
        List<Arrival> got = record(w.b(), sim);
        send(sim, w, 1000, 1250, 0);
        assertEquals(1000, got.size());
        assertEquals(1 * MS + 1_000_000 * 1000 / 1000, got.get(0).at()); // first: 1 ms serialization + 1 ms delay
        assertEquals(1_000 * MS + MS, got.get(999).at());
        for (int i = 1; i < 1000; i++) assertEquals(MS, got.get(i).at() - got.get(i - 1).at());
    }

    @Test void rateCarriesSubNanosecondRemainders() {
        // 3 Gbit/s, 1500-byte frames: 4000 ns each exactly; 1001-byte frames: 2669.33 ns.
        Wire w = Wire.create(sim, 1, WireConfig.DEFAULT.withRate(3_000_000_000L).withQueueBytes(10_000_000).withLimit(10_000), WireConfig.DEFAULT);
        List<Arrival> got = record(w.b(), sim);
        send(sim, w, 3000, 1001, 0);
        assertEquals(3000, got.size());
        assertEquals(3000L * 1001 * 8 / 3, got.get(2999).at(), 1);
    }

    @Test void rateQueueTailDropsBeyondItsByteLimit() {
        Wire w = Wire.create(sim, 1, WireConfig.DEFAULT.withRate(10_000_000).withQueueBytes(12_500), WireConfig.DEFAULT);
        List<Arrival> got = record(w.b(), sim);
        send(sim, w, 100, 1250, 0);
        assertEquals(10, got.size());
        assertEquals(90, w.statsAb().queueDropped);
        assertEquals(100, w.statsAb().sent);
    }

    @Test void inFlightLimitTailDrops() {
        Wire w = Wire.create(sim, 1, WireConfig.DEFAULT.withDelay(MS).withLimit(10), WireConfig.DEFAULT);
        List<Arrival> got = record(w.b(), sim);
        send(sim, w, 15, 60, 0);
        assertEquals(10, got.size());
        assertEquals(5, w.statsAb().queueDropped);
    }

    @Test void mtuAndSegmentationOffload() {
        Wire w = Wire.create(sim, 1, WireConfig.DEFAULT.withMtu(1400),
                WireConfig.DEFAULT.withFeatures(NetDevice.F_TSO | NetDevice.F_HW_CSUM));
        List<Arrival> atB = record(w.b(), sim), atA = record(w.a(), sim);
        assertEquals(NetDevice.XMIT_DROP, w.a().transmit(MemorySegment.ofArray(packet(1, 1401))));
        assertEquals(NetDevice.XMIT_SUCCESS, w.a().transmit(MemorySegment.ofArray(packet(2, 1400))));
        assertEquals(NetDevice.XMIT_SUCCESS, w.b().transmit(MemorySegment.ofArray(packet(3, 65535))));
        assertEquals(NetDevice.XMIT_DROP, w.b().transmit(MemorySegment.ofArray(new byte[65537])));
        sim.runUntilIdle(Long.MAX_VALUE);
        assertEquals(1, atB.size());
        assertEquals(1, atA.size());
        assertEquals(65535, atA.get(0).bytes().length);
        assertEquals(1, w.statsAb().oversize);
        assertEquals(1, w.a().stats().txDropped);
        assertEquals(NetDevice.F_TSO | NetDevice.F_HW_CSUM, w.b().features());
        assertEquals(1400, w.a().mtu());
    }

    @Test void framesToAClosedEndAreCountedUndeliverable() {
        Wire w = Wire.create(sim, 1);
        w.a().transmit(MemorySegment.ofArray(packet(1, 60)));
        sim.runUntilIdle(Long.MAX_VALUE);
        assertEquals(1, w.statsAb().undeliverable);
        assertEquals(1, w.b().stats().rxDropped);
    }

    @Test void noTimerLeftWhenIdle() {
        Wire w = Wire.create(sim, 1, EVERYTHING, EVERYTHING);
        record(w.b(), sim);
        send(sim, w, 1000, 100, 0);
        assertEquals(0, sim.pendingTimers());
        assertEquals(0, w.a().inFlight());
    }
}
