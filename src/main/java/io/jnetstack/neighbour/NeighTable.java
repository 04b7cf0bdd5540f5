package io.jnetstack.neighbour;

import io.jnetstack.ipv4.Ipv4;
import io.jnetstack.link.NetDevice;
import io.jnetstack.stack.Counters;
import io.jnetstack.stack.Stack;
import io.jnetstack.stack.Sysctl;
import io.jnetstack.stack.Tracer;
import io.jnetstack.time.Scheduler;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;

/**
 * The neighbour table (struct neigh_table, net/core/neighbour.c): entries hashed by (device,
 * address), and the NUD state machine that every entry runs (RFC 4861 §7.3 as Linux applies it to
 * ARP as well):
 *
 * <ul>
 *   <li>{@link #eventSend} (__neigh_event_send), on every packet through an entry: NONE/FAILED start
 *       resolution (INCOMPLETE, first broadcast request now, one per retrans_time); INCOMPLETE queues
 *       the packet (unres_qlen_bytes, the oldest dropped when full); STALE sends and moves to DELAY.
 *   <li>{@link #update} (neigh_update), when the protocol learns an address: a reply makes the
 *       entry REACHABLE, a request from the neighbour makes it STALE (but never downgrades a
 *       REACHABLE entry whose address did not change); leaving an unresolved state flushes the queue.
 *       Within locktime (1 s) of the last update a different address is ignored: the first of
 *       several replies wins.
 *   <li>{@link #timer} (neigh_timer_handler): REACHABLE lapses to STALE after reachable_time (a
 *       random value in [base/2, 3·base/2), base 30 s) unless used recently, then DELAY (5 s) and
 *       PROBE (three unicast requests a second apart); INCOMPLETE gives up after three broadcast
 *       requests; giving up is FAILED, and every queued packet is reported (ICMP host unreachable to
 *       its sender, which is this host: the socket sees EHOSTUNREACH).
 * </ul>
 *
 * <p>Sizes: the table holds at most gc_thresh3 (1024) entries; when full, forced garbage
 * collection drops FAILED and unused STALE entries, and if nothing can go the new entry is refused
 * (table_fulls; the packet is dropped with ENOBUFS). Periodic garbage collection is not modelled.
 */
public final class NeighTable {
    /** A packet waiting for resolution: a pooled copy (struct sk_buff in arp_queue). */
    static final class Pending {
        final byte[] buf;
        final MemorySegment whole;
        int len, truesize;

        Pending(int cap) {
            buf = new byte[cap];
            whole = MemorySegment.ofArray(buf);
        }
    }

    private static final int PENDING_CAP = 2048;

    private final Stack stack;
    private final Scheduler sched;
    private final Tracer tr;
    private final NeighOps ops;
    final Counters<NeighStat> stat;
    final Sysctl baseReachableMs, retransMs, delayFirstProbe, mcastSolicit, ucastSolicit, unresQlenBytes,
            locktime, gcThresh3;
    private long reachableTime;
    private Neigh[] buckets = new Neigh[16];
    private int entries;
    private final ArrayDeque<Pending> pool = new ArrayDeque<>();

    NeighTable(Stack stack, NeighOps ops) {
        this.stack = stack;
        this.sched = stack.scheduler();
        this.tr = stack.trace();
        this.ops = ops;
        this.stat = stack.snmp().group("arp_cache", NeighStat.class);
        var s = stack.sysctl();
        String p = "net.ipv4.neigh.default.";
        baseReachableMs = s.define(p + "base_reachable_time_ms", 1, Integer.MAX_VALUE, 30_000);
        retransMs = s.define(p + "retrans_time_ms", 10, Integer.MAX_VALUE, 1_000);
        delayFirstProbe = s.define(p + "delay_first_probe_time", 1, Integer.MAX_VALUE, 5);
        mcastSolicit = s.define(p + "mcast_solicit", 0, 255, 3);
        ucastSolicit = s.define(p + "ucast_solicit", 0, 255, 3);
        unresQlenBytes = s.define(p + "unres_qlen_bytes", 0, Integer.MAX_VALUE, 212_992);
        locktime = s.define(p + "locktime", 0, Integer.MAX_VALUE, 100);   // in 1/100 s, as Linux shows it
        gcThresh3 = s.define(p + "gc_thresh3", 1, Integer.MAX_VALUE, 1024);
        reachableTime = randReachTime();
    }

    /** neigh_rand_reach_time: uniform in [base/2, 3·base/2), so hosts do not probe in lockstep. */
    private long randReachTime() {
        long base = baseReachableMs.value() * 1_000_000L;
        return base / 2 + (long) (stack.random().nextDouble() * base);
    }

    /** The reachable_time in force (ns). */
    public long reachableTime() { return reachableTime; }

    private long retrans() { return retransMs.value() * 1_000_000L; }

    private long delayProbe() { return delayFirstProbe.value() * 1_000_000_000L; }

    // ------------------------------------------------------------------ hash table

    private int bucket(NetDevice dev, int key) {
        int h = (key * 0x9E3779B1) ^ System.identityHashCode(dev);
        return (h ^ (h >>> 16)) & (buckets.length - 1);
    }

    /** neigh_lookup: the entry for (dev, key) or null. */
    public Neigh lookup(NetDevice dev, int key) {
        stat.inc(NeighStat.lookups);
        for (Neigh n = buckets[bucket(dev, key)]; n != null; n = n.next) {
            if (n.key == key && n.dev == dev) {
                stat.inc(NeighStat.hits);
                return n;
            }
        }
        return null;
    }

    /** __neigh_lookup with creat: the entry, created in NONE when missing; null when the table is full. */
    Neigh lookupOrCreate(NetDevice dev, int key) {
        Neigh n = lookup(dev, key);
        if (n != null) return n;
        if (entries >= gcThresh3.value() && !forcedGc()) {
            stat.inc(NeighStat.table_fulls);
            if (tr.on) tr.event("neigh_alloc", "table full (gc_thresh3 " + gcThresh3.value() + ")");
            return null;
        }
        Neigh[] box = new Neigh[1];
        n = new Neigh(dev, stack.ifindex(dev), key, () -> timer(box[0]));
        box[0] = n;
        long now = sched.now();
        n.updated = now;
        n.used = now;
        n.confirmed = now - 2 * baseReachableMs.value() * 1_000_000L;   // never confirmed
        int b = bucket(dev, key);
        n.next = buckets[b];
        buckets[b] = n;
        entries++;
        stat.inc(NeighStat.allocs);
        stat.add(NeighStat.entries, 1);
        if (entries > buckets.length) grow();
        return n;
    }

    private void grow() {
        Neigh[] old = buckets;
        buckets = new Neigh[old.length * 2];
        for (Neigh head : old) {
            for (Neigh n = head, nx; n != null; n = nx) {
                nx = n.next;
                int b = bucket(n.dev, n.key);
                n.next = buckets[b];
                buckets[b] = n;
            }
        }
        stat.inc(NeighStat.hash_grows);
    }

    /** neigh_forced_gc: frees FAILED entries and STALE ones nobody waits on. True if any went. */
    private boolean forcedGc() {
        stat.inc(NeighStat.forced_gc_runs);
        int before = entries;
        for (int i = 0; i < buckets.length; i++) {
            Neigh prev = null;
            for (Neigh n = buckets[i], nx; n != null; n = nx) {
                nx = n.next;
                if ((n.state == Nud.FAILED || n.state == Nud.STALE || n.state == Nud.NONE) && n.queue.isEmpty()) {
                    if (prev == null) buckets[i] = nx;
                    else prev.next = nx;
                    destroy(n);
                } else {
                    prev = n;
                }
            }
        }
        return entries < before;
    }

    private void destroy(Neigh n) {
        sched.cancel(n.timer);
        entries--;
        stat.inc(NeighStat.destroys);
        stat.add(NeighStat.entries, -1);
    }

    /** Removes every entry of {@code dev} (neigh_ifdown), dropping their queues. */
    public void flush(NetDevice dev) {
        for (int i = 0; i < buckets.length; i++) {
            Neigh prev = null;
            for (Neigh n = buckets[i], nx; n != null; n = nx) {
                nx = n.next;
                if (n.dev == dev) {
                    if (prev == null) buckets[i] = nx;
                    else prev.next = nx;
                    while (!n.queue.isEmpty()) release(n, n.queue.poll());
                    destroy(n);
                } else {
                    prev = n;
                }
            }
        }
    }

    /** All entries (ip neigh show). */
    public List<Neigh> entries() {
        List<Neigh> all = new ArrayList<>(entries);
        for (Neigh head : buckets) for (Neigh n = head; n != null; n = n.next) all.add(n);
        return all;
    }

    public int size() { return entries; }

    // ------------------------------------------------------------------ state machine

    /**
     * neigh_event_send + neigh_resolve_output: sends {@code ipPacket} through {@code n}, or queues it
     * while the address is being resolved. Returns 0 (queued and dropped packets too, as Linux's
     * neigh_resolve_output does) or the transmit error.
     */
    int eventSend(Neigh n, MemorySegment ipPacket) {
        long now = sched.now();
        n.used = now;
        int s = n.state;
        if ((s & (Nud.CONNECTED | Nud.DELAY | Nud.PROBE)) != 0) return ops.transmit(n, ipPacket);
        if (s == Nud.STALE) {
            if (tr.on) tr.event("neigh_event_send", n + " → DELAY");
            n.state = Nud.DELAY;
            n.updated = now;
            sched.arm(n.timer, now + delayProbe());
            return ops.transmit(n, ipPacket);
        }
        if (s != Nud.INCOMPLETE) {          // NONE or FAILED: start resolving
            if (mcastSolicit.value() == 0) {
                if (tr.on) tr.event("neigh_event_send", n + ": mcast_solicit 0, dropped");
                return 0;
            }
            n.state = Nud.INCOMPLETE;
            n.updated = now;
            // Probes count on from ucast_solicit, so those sent while INCOMPLETE are broadcast.
            n.probes = ucastSolicit.value();
            sched.arm(n.timer, now + Math.max(retrans(), 10_000_000L));
            enqueue(n, ipPacket);
            if (tr.on) tr.event("neigh_event_send", n + ": resolving, packet queued");
            probe(n);
            return 0;
        }
        enqueue(n, ipPacket);
        return 0;
    }

    /** Into arp_queue, dropping the oldest while unres_qlen_bytes would be exceeded. */
    private void enqueue(Neigh n, MemorySegment pkt) {
        int len = (int) pkt.byteSize();
        int truesize = Ipv4.truesize(len);
        while (!n.queue.isEmpty() && n.queueBytes + truesize > unresQlenBytes.value()) {
            release(n, n.queue.poll());
            stat.inc(NeighStat.unresolved_discards);
        }
        if (truesize > unresQlenBytes.value()) {
            stat.inc(NeighStat.unresolved_discards);
            return;
        }
        Pending p = acquire(len);
        MemorySegment.copy(pkt, 0, p.whole, 0, len);
        p.len = len;
        p.truesize = truesize;
        n.queue.add(p);
        n.queueBytes += truesize;
        if (len >= 20) n.probeSaddr = pkt.get(JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN), 12);
    }

    private Pending acquire(int len) {
        if (len <= PENDING_CAP) {
            Pending p = pool.poll();
            return p != null ? p : new Pending(PENDING_CAP);
        }
        return new Pending(len);
    }

    private void release(Neigh n, Pending p) {
        n.queueBytes -= p.truesize;
        if (p.buf.length == PENDING_CAP && pool.size() < 256) pool.push(p);
    }

    /** neigh_probe: one more solicitation; broadcast while probes < ucast_solicit is false. */
    private void probe(Neigh n) {
        boolean unicast = n.probes < ucastSolicit.value();
        n.probes++;
        ops.solicit(n, unicast);
    }

    /** neigh_max_probes. */
    private int maxProbes(Neigh n) {
        return ucastSolicit.value() + (n.state == Nud.PROBE ? 0 : mcastSolicit.value());
    }

    /** neigh_timer_handler. */
    void timer(Neigh n) {
        long now = sched.now();
        int s = n.state;
        if ((s & Nud.IN_TIMER) == 0) return;
        long next = now + 1_000_000_000L;
        if (s == Nud.REACHABLE) {
            if (now <= n.confirmed + reachableTime) {
                next = n.confirmed + reachableTime;
            } else if (now <= n.used + delayProbe()) {
                setState(n, Nud.DELAY, now);
                next = now + delayProbe();
            } else {
                setState(n, Nud.STALE, now);
                return;
            }
        } else if (s == Nud.DELAY) {
            if (now <= n.confirmed + delayProbe()) {
                setState(n, Nud.REACHABLE, now);
                next = n.confirmed + reachableTime;
            } else {
                setState(n, Nud.PROBE, now);
                n.probes = 0;
                next = now + Math.max(retrans(), 10_000_000L);
            }
        } else {
            next = now + Math.max(retrans(), 10_000_000L);
        }
        if ((n.state & (Nud.INCOMPLETE | Nud.PROBE)) != 0 && n.probes >= maxProbes(n)) {
            setState(n, Nud.FAILED, now);
            invalidate(n);
            return;
        }
        sched.arm(n.timer, Math.max(next, now + 10_000_000L));
        if ((n.state & (Nud.INCOMPLETE | Nud.PROBE)) != 0) probe(n);
    }

    private void setState(Neigh n, int state, long now) {
        if (tr.on) tr.event("neigh_timer_handler", n + " → " + Nud.name(state));
        n.state = state;
        n.updated = now;
    }

    /** neigh_invalidate: resolution failed; every queued packet is reported to its sender. */
    private void invalidate(Neigh n) {
        stat.inc(NeighStat.res_failed);
        Pending p;
        while (n.state == Nud.FAILED && (p = n.queue.poll()) != null) {
            try {
                ops.errorReport(n, p.whole.asSlice(0, p.len));
            } finally {
                release(n, p);
            }
        }
    }

    /**
     * neigh_update: the protocol learned {@code lladdr} for {@code n}. {@code newState} is REACHABLE
     * for a solicited reply and STALE otherwise; {@code override} false keeps a valid address that
     * differs (within locktime).
     */
    void update(Neigh n, long lladdr, int newState, boolean override) {
        long now = sched.now();
        int old = n.state;
        if ((old & (Nud.NOARP | Nud.PERMANENT)) != 0) return;
        boolean valid = (old & Nud.VALID) != 0;
        if (valid && lladdr != n.lladdr) {
            if (!override) {
                if (tr.on) tr.event("neigh_update", n + ": other address " + io.jnetstack.wire.MacAddress.format(lladdr)
                        + " within locktime, ignored");
                return;
            }
        }
        if ((old & Nud.CONNECTED) != 0 && lladdr == n.lladdr && newState == Nud.STALE) newState = old;
        if ((newState & Nud.CONNECTED) != 0) n.confirmed = now;
        boolean changed = newState != old || lladdr != n.lladdr;
        if (newState != old) {
            sched.cancel(n.timer);
            if ((newState & Nud.IN_TIMER) != 0)
                sched.arm(n.timer, now + ((newState & Nud.REACHABLE) != 0 ? reachableTime : 0));
            n.state = newState;
        }
        if (lladdr != n.lladdr) {
            n.lladdr = lladdr;
            if ((newState & Nud.CONNECTED) == 0) n.confirmed = now - 2 * baseReachableMs.value() * 1_000_000L;
        }
        if (changed) {
            n.updated = now;
            if (tr.on) tr.event("neigh_update", n + (old != newState ? " (was " + Nud.name(old) + ")" : ""));
        }
        if ((old & Nud.VALID) == 0 && (newState & Nud.VALID) != 0) {
            // The address is known: what waited goes out now, oldest first.
            Pending p;
            while ((n.state & Nud.VALID) != 0 && (p = n.queue.poll()) != null) {
                try {
                    ops.transmit(n, p.whole.asSlice(0, p.len));
                } finally {
                    release(n, p);
                }
            }
        }
    }

    /** Whether {@code n} was updated less than locktime ago (a different address is then ignored). */
    boolean locked(Neigh n) {
        return sched.now() < n.updated + locktime.value() * 10_000_000L;
    }
}
