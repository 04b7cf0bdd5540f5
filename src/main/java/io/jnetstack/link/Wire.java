package io.jnetstack.link;

import io.jnetstack.time.Scheduler;
import io.jnetstack.time.Timer;
import java.lang.foreign.MemorySegment;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * An in-memory point-to-point link between two stacks: a pair of devices (like a veth pair, with a
 * netem qdisc on each side) whose frames are raw IP packets (ARPHRD_NONE, as on a TUN device).
 *
 * <pre>{@code
 * SimScheduler sim = new SimScheduler();
 * Wire w = Wire.create(sim, 42, WireConfig.DEFAULT.withDelay(5_000_000).withLoss(0.01), WireConfig.DEFAULT);
 * hostA.addDevice(w.a());  hostB.addDevice(w.b());
 * }</pre>
 *
 * <p>Each direction has its own {@link WireConfig}, its own random stream (split from the seed, so
 * traffic one way never shifts the impairments the other way) and its own flight queue: frames in
 * pooled buffers in a min-heap by delivery time (equal times in sending order), with one
 * {@link Timer} armed at the earliest. Every decision comes from the seeded random source and the
 * scheduler's clock, so a run on a {@code SimScheduler} repeats byte for byte.
 *
 * <p>A transmitted frame goes through, in order:
 * <ol>
 *   <li>size check: above the MTU (or above 64 KiB with {@link NetDevice#F_TSO}): refused with
 *       XMIT_DROP and counted {@code oversize};
 *   <li>duplicate: with probability {@code duplicate} a second copy is made; each copy then goes
 *       through the rest on its own (netem re-enqueues its clone the same way);
 *   <li>loss: Bernoulli, or the Gilbert-Elliott chain;
 *   <li>limit: at most {@code limit} frames in flight, else tail drop ({@code queueDropped});
 *   <li>rate: the frame waits for the frames before it to be serialized, then takes
 *       length × 8 / rate itself (exact over time: the sub-nanosecond remainder is carried); if the
 *       bytes still waiting exceed {@code queueBytes} it is tail-dropped;
 *   <li>corrupt: one random bit of the copy flipped (a CHECKSUM_PARTIAL frame is finished first, and a
 *       corrupted frame always arrives CHECKSUM_NONE, as netem does: the receiver must be able to
 *       catch the damage);
 *   <li>reorder: every {@code reorderGap}-th frame, with probability {@code reorder}, skips the
 *       delay and overtakes what is in flight; otherwise delay + jitter, kept in FIFO order unless
 *       {@code jitterReorders}.
 * </ol>
 * A frame arrives with the {@link ChecksumOffload ip_summed} it was sent with: an end with
 * {@link NetDevice#F_HW_CSUM} in its config is handed partial TCP checksums and passes them on
 * for the far stack to trust, as veth does; nothing computes them. A frame sent complete arrives
 * CHECKSUM_NONE and is verified (veth stopped upgrading those in Linux 4.6: that let bad checksums
 * through).
 * A lost or dropped copy still makes transmit return XMIT_SUCCESS: the sender cannot see what
 * happens on the path. Frames reaching an end that is not open are counted {@code undeliverable}
 * and in that end's rx_dropped.
 */
public final class Wire {
    private final Scheduler scheduler;
    private final End a, b;

    private Wire(Scheduler scheduler, SplittableRandom random, WireConfig ab, WireConfig ba) {
        this.scheduler = Objects.requireNonNull(scheduler);
        this.a = new End("eth0");
        this.b = new End("eth0");
        a.peer = b;
        b.peer = a;
        a.tx = new Direction("a>b", random.split(), ab, b);
        b.tx = new Direction("b>a", random.split(), ba, a);
    }

    /** A wire whose impairments draw from {@code random} (two streams are split off it). */
    public static Wire create(Scheduler scheduler, SplittableRandom random, WireConfig ab, WireConfig ba) {
        return new Wire(scheduler, random, ab, ba);
    }

    public static Wire create(Scheduler scheduler, long seed, WireConfig ab, WireConfig ba) {
        return new Wire(scheduler, new SplittableRandom(seed), ab, ba);
    }

    /** A perfect wire both ways. */
    public static Wire create(Scheduler scheduler, long seed) {
        return create(scheduler, seed, WireConfig.DEFAULT, WireConfig.DEFAULT);
    }

    public End a() { return a; }

    public End b() { return b; }

    /** Frames sent from a towards b. */
    public WireStats statsAb() { return a.tx.stats; }

    /** Frames sent from b towards a. */
    public WireStats statsBa() { return b.tx.stats; }

    /** One end of the wire: the device a stack owns. */
    public final class End implements NetDevice {
        private String name;
        private End peer;
        private Direction tx;
        private PacketReceiver rx;
        private final DeviceStats stats = new DeviceStats();

        private End(String name) { this.name = name; }

        @Override public String name() { return name; }

        /** ip link set NAME name NEW: each end is "eth0" until renamed. */
        public End name(String newName) {
            this.name = Objects.requireNonNull(newName);
            return this;
        }

        @Override public int mtu() { return tx.config.mtu(); }

        @Override public int type() { return ARPHRD_NONE; }

        @Override public int features() { return tx.config.features(); }

        @Override public void open(PacketReceiver rx) { this.rx = rx; }

        /** Stops delivering to the stack (dev_close); frames arriving meanwhile are dropped. */
        public void close() { this.rx = null; }

        @Override public int transmit(MemorySegment packet) { return tx.send(packet, ChecksumOffload.CHECKSUM_NONE); }

        @Override public int transmit(MemorySegment packet, int ipSummed) { return tx.send(packet, ipSummed); }

        @Override public DeviceStats stats() { return stats; }

        /** The other end. */
        public End peer() { return peer; }

        /** What happened to the frames this end sent. */
        public WireStats wireStats() { return tx.stats; }

        /** The impairments of frames this end sends. */
        public WireConfig config() { return tx.config; }

        /** Changes the impairments of frames this end sends from now on (frames in flight keep theirs). */
        public void config(WireConfig c) { tx.config = Objects.requireNonNull(c); }

        /** Buffers this end's direction ever allocated (for allocation tests). */
        int buffersAllocated() { return tx.pool.allocated(); }

        /** Frames sent by this end and not yet delivered. */
        public int inFlight() { return tx.flight.size(); }

        @Override public String toString() { return name + " (wire end, mtu " + mtu() + ")"; }
    }

    /** One direction: netem on the sender's side plus the propagation to the receiver. */
    private final class Direction {
        final SplittableRandom random;
        final End to;
        final FlightHeap flight = new FlightHeap();
        final BufferPool pool = new BufferPool();
        final WireStats stats = new WireStats();
        final Timer timer;
        WireConfig config;
        long txFreeAt;       // when the rate limiter finishes serializing what it holds
        long carry;          // sub-nanosecond remainder of serialization, in 1/rate ns units
        long lastDue;        // latest delivery time so far, to keep FIFO order under jitter
        boolean badState;    // Gilbert-Elliott chain state
        int reorderCount;    // frames delayed normally since the last reordered one

        Direction(String name, SplittableRandom random, WireConfig config, End to) {
            this.random = random;
            this.config = Objects.requireNonNull(config);
            this.to = to;
            this.timer = new Timer("wire " + name, this::deliverDue);
        }

        int send(MemorySegment packet, int ipSummed) {
            WireConfig c = config;
            End from = to.peer;
            long len = packet.byteSize();
            stats.sent++;
            stats.bytesSent += len;
            if (len == 0 || len > c.maxFrame()) {
                stats.oversize++;
                from.stats.txDropped++;
                return NetDevice.XMIT_DROP;
            }
            from.stats.txPackets++;
            from.stats.txBytes += len;
            int copies = 1;
            if (c.duplicate() > 0 && random.nextDouble() < c.duplicate()) {
                copies = 2;
                stats.duplicated++;
            }
            for (int i = 0; i < copies; i++) sendCopy(c, packet, (int) len, ipSummed);
            return NetDevice.XMIT_SUCCESS;
        }

        private void sendCopy(WireConfig c, MemorySegment packet, int len, int ipSummed) {
            if (lose(c)) {
                stats.lost++;
                return;
            }
            if (flight.size() >= c.limit()) {
                stats.queueDropped++;
                return;
            }
            long now = scheduler.now();
            long departs = now;
            if (c.rateBps() > 0) {
                long start = Math.max(now, txFreeAt);
                // Bytes the link has yet to serialize at this instant (the qdisc backlog).
                double backlog = (start - now) * (c.rateBps() / 8e9);
                if (backlog + len > c.queueBytes()) {
                    stats.queueDropped++;
                    return;
                }
                long bitNanos = len * 8_000_000_000L + carry;
                departs = txFreeAt = start + bitNanos / c.rateBps();
                carry = bitNanos % c.rateBps();
            }
            PacketBuffer buf = pool.acquire(len);
            buf.fill(packet);
            buf.ipSummed = ipSummed;
            if (c.corrupt() > 0 && random.nextDouble() < c.corrupt()) {
                // netem_enqueue: skb_checksum_help before the damage, which must not go unnoticed.
                ChecksumOffload.finish(buf.frame(), 0, ipSummed);
                buf.ipSummed = ChecksumOffload.CHECKSUM_NONE;
                int at = random.nextInt(len);
                buf.bytes[at] ^= (byte) (1 << random.nextInt(8));
                stats.corrupted++;
            }
            long due;
            if (c.reorder() > 0 && reorderCount >= c.reorderGap() - 1 && random.nextDouble() < c.reorder()) {
                due = departs;           // skips the delay: overtakes what is in flight
                reorderCount = 0;
                stats.reordered++;
            } else {
                reorderCount++;
                due = departs + c.delayNs() + jitter(c);
                if (due < departs) due = departs;
                if (!c.jitterReorders()) due = Math.max(due, lastDue);
                lastDue = Math.max(lastDue, due);
            }
            boolean newHead = due < flight.nextDue();
            flight.add(buf, due);
            if (newHead) scheduler.arm(timer, due);
        }

        private boolean lose(WireConfig c) {
            WireConfig.GilbertElliott ge = c.burstLoss();
            if (ge != null) {
                badState = badState ? !(random.nextDouble() < ge.r()) : random.nextDouble() < ge.p();
                double p = badState ? ge.lossBad() : ge.lossGood();
                return p > 0 && random.nextDouble() < p;
            }
            return c.loss() > 0 && random.nextDouble() < c.loss();
        }

        private long jitter(WireConfig c) {
            long j = c.jitterNs();
            if (j == 0) return 0;
            return switch (c.jitterDist()) {
                case UNIFORM -> (long) ((random.nextDouble() * 2 - 1) * j);
                case NORMAL -> (long) (Math.clamp(random.nextGaussian(), -4.0, 4.0) * j);
            };
        }

        /** The timer: hands every frame now due to the far end, then re-arms for the next. */
        private void deliverDue() {
            long now = scheduler.now();
            PacketBuffer buf;
            while ((buf = flight.pollDue(now)) != null) {
                try {
                    PacketReceiver r = to.rx;
                    if (r == null) {
                        stats.undeliverable++;
                        to.stats.rxDropped++;
                        continue;
                    }
                    stats.delivered++;
                    stats.bytesDelivered += buf.length;
                    to.stats.rxPackets++;
                    to.stats.rxBytes += buf.length;
                    r.receive(to, buf.frame(), buf.ipSummed);
                } finally {
                    pool.release(buf);
                }
            }
            if (!flight.isEmpty() && !timer.armed()) scheduler.arm(timer, flight.nextDue());
        }
    }
}
