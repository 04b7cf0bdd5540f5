package io.jnetstack.ipv4;

import io.jnetstack.socket.SockAddr;
import io.jnetstack.stack.Counters;
import io.jnetstack.stack.Stack;
import io.jnetstack.stack.Tracer;
import io.jnetstack.time.Timer;
import io.jnetstack.wire.Ipv4Header;
import io.jnetstack.wire.IcmpHeader;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * ip_defrag: IPv4 reassembly (RFC 791 §3.2, RFC 815's hole bookkeeping in Linux's form).
 *
 * <p>A queue is keyed by (source, destination, identification, protocol). Fragments are kept as
 * Linux keeps them, as "runs" of contiguous data (inet_frag_queue_insert): a fragment that
 * continues the last run extends it, any other starts a new run. A fragment that lies wholly inside
 * an existing run is a harmless duplicate and is dropped; any other overlap kills the whole queue
 * (ReasmOverlaps, ReasmFails) in the spirit of RFC 5722, which closed the overlapping-fragment
 * attacks. The queue lives ipfrag_time seconds from its first fragment (ip_expire: ReasmTimeout,
 * ReasmFails, and ICMP time exceeded / fragment reassembly time exceeded when the first fragment
 * arrived); the memory held by all queues is bounded by ipfrag_high_thresh.
 *
 * <p>Queues and their 64 KiB data buffers are pooled: reassembling allocates nothing once warm.
 */
final class IpDefrag {
    /** struct ipq. */
    private final class Queue {
        int saddr, daddr, id, protocol;
        /** q.len: the datagram's payload length as far as known; meat: bytes received. */
        int len, meat;
        boolean firstIn, lastIn;
        int[] runStart = new int[16], runEnd = new int[16];
        int runs;
        final byte[] data = new byte[0x10000];
        final byte[] header = new byte[Ipv4Header.MAX_LEN];
        int headerLen, firstFragLen, routeType;
        long truesize;
        final Timer timer = new Timer("ip_expire", this::expire);

        void reset(int saddr, int daddr, int id, int protocol) {
            this.saddr = saddr;
            this.daddr = daddr;
            this.id = id;
            this.protocol = protocol;
            len = meat = runs = headerLen = firstFragLen = 0;
            firstIn = lastIn = false;
            truesize = 0;
        }

        void expire() {
            if (tr.on) tr.event("ip_expire", "id " + id + " from " + SockAddr.ipString(saddr) + " after "
                    + stack.sysctl().ipfragTime.value() + "s, " + meat + "/" + (lastIn ? len : -1) + " bytes");
            mib.inc(IpMib.ReasmFails);
            mib.inc(IpMib.ReasmTimeout);
            if (firstIn && icmp != null) {
                // Quote the first fragment: its header and as much of its data as ICMP will take.
                int q = headerLen + firstFragLen;
                MemorySegment quoted = scratch.asSlice(0, q);
                MemorySegment.copy(MemorySegment.ofArray(header), 0, quoted, 0, headerLen);
                MemorySegment.copy(MemorySegment.ofArray(data), 0, quoted, headerLen, firstFragLen);
                icmp.send(quoted, routeType, IcmpHeader.TIME_EXCEEDED, IcmpHeader.EXC_FRAGTIME, 0);
            }
            kill(this);
        }

        void addRun(int at, int start, int end) {
            if (runs == runStart.length) {
                runStart = java.util.Arrays.copyOf(runStart, runs * 2);
                runEnd = java.util.Arrays.copyOf(runEnd, runs * 2);
            }
            System.arraycopy(runStart, at, runStart, at + 1, runs - at);
            System.arraycopy(runEnd, at, runEnd, at + 1, runs - at);
            runStart[at] = start;
            runEnd[at] = end;
            runs++;
        }
    }

    private static final int INSERTED = 0, DUP = 1, OVERLAP = 2;

    private final Stack stack;
    private final Tracer tr;
    private final Counters<IpMib> mib;
    private final Counters<IpExtMib> ext;
    IcmpSender icmp;
    private final List<Queue> active = new ArrayList<>();
    private final List<Queue> free = new ArrayList<>();
    /** ip4_frags mem: truesize of all queued fragments, against ipfrag_high_thresh. */
    private long mem;
    private final Ipv4Header hdr = new Ipv4Header();
    private final MemorySegment out = MemorySegment.ofArray(new byte[0x10000 + Ipv4Header.MAX_LEN]);
    private final MemorySegment scratch = MemorySegment.ofArray(new byte[0x10000 + Ipv4Header.MAX_LEN]);

    IpDefrag(Stack stack, Counters<IpMib> mib, Counters<IpExtMib> ext) {
        this.stack = stack;
        this.tr = stack.trace();
        this.mib = mib;
        this.ext = ext;
    }

    /** Memory held by reassembly queues now (for tests and /proc/net/sockstat's FRAG line). */
    long memory() { return mem; }

    int queues() { return active.size(); }

    /**
     * ip_defrag: queues one fragment ({@code ip} wraps it, already validated by ip_rcv). Returns
     * the reassembled datagram (valid until the next call) when this fragment completed it, else null.
     */
    MemorySegment defrag(Ipv4Header ip, int routeType) {
        mib.inc(IpMib.ReasmReqds);
        int saddr = ip.src(), daddr = ip.dst(), id = ip.id(), proto = ip.protocol();
        Queue q = find(saddr, daddr, id, proto);
        if (q == null) {
            if (mem > stack.sysctl().ipfragHighThresh.longValue()) {
                if (tr.on) tr.event("ip_defrag", "ipfrag_high_thresh reached: fragment dropped");
                mib.inc(IpMib.ReasmFails);
                return null;
            }
            q = free.isEmpty() ? new Queue() : free.removeLast();
            q.reset(saddr, daddr, id, proto);
            q.routeType = routeType;
            active.add(q);
            stack.scheduler().arm(q.timer, stack.now() + stack.sysctl().ipfragTime.value() * 1_000_000_000L);
        }
        return queue(q, ip);
    }

    private Queue find(int saddr, int daddr, int id, int proto) {
        for (int i = 0, n = active.size(); i < n; i++) {
            Queue q = active.get(i);
            if (q.id == id && q.saddr == saddr && q.daddr == daddr && q.protocol == proto) return q;
        }
        return null;
    }

    /** ip_frag_queue + inet_frag_queue_insert. */
    private MemorySegment queue(Queue q, Ipv4Header ip) {
        int offset = ip.fragOffset();
        int ihl = ip.headerLen();
        int dataLen = ip.payloadLen();
        int end = offset + dataLen;
        if (!ip.moreFrags()) {
            // The last fragment fixes the length; it may not contradict what is known.
            if (end < q.len || (q.lastIn && end != q.len)) return discard(q, "last fragment disagrees on length");
            q.lastIn = true;
            q.len = end;
        } else {
            end &= ~7; // non-final fragments carry multiples of 8 bytes (RFC 791); trim the excess
            if (end > q.len) {
                if (q.lastIn) return discard(q, "fragment beyond the last one");
                q.len = end;
            }
        }
        if (end == offset) return discard(q, "empty fragment");
        if (end > 0xFFFF) return discard(q, "fragment beyond 65535");

        int r = insert(q, offset, end);
        if (r == DUP) {
            if (tr.on) tr.event("ip_frag_queue", "duplicate fragment [" + offset + "," + end + ") dropped");
            return null;
        }
        if (r == OVERLAP) {
            ext.inc(IpExtMib.ReasmOverlaps);
            return discard(q, "overlapping fragment [" + offset + "," + end + ")");
        }
        MemorySegment.copy(ip.segment(), ihl, MemorySegment.ofArray(q.data), offset, end - offset);
        q.meat += end - offset;
        long ts = Ipv4.truesize(ip.totalLen());
        q.truesize += ts;
        mem += ts;
        if (offset == 0) {
            q.firstIn = true;
            q.headerLen = ihl;
            q.firstFragLen = end;
            MemorySegment.copy(ip.segment(), 0, MemorySegment.ofArray(q.header), 0, ihl);
        }
        if (tr.on) tr.event("ip_frag_queue", "id " + q.id + " [" + offset + "," + end + ") " + q.meat + "/"
                + (q.lastIn ? q.len : -1) + " bytes");
        if (q.firstIn && q.lastIn && q.meat == q.len) return reassemble(q);
        return null;
    }

    private int insert(Queue q, int offset, int end) {
        if (q.runs == 0) {
            q.addRun(0, offset, end);
            return INSERTED;
        }
        int last = q.runs - 1;
        if (q.runEnd[last] < end) {
            // The common case: it goes at the end.
            if (offset < q.runEnd[last]) return OVERLAP;
            if (offset == q.runEnd[last]) q.runEnd[last] = end;
            else q.addRun(q.runs, offset, end);
            return INSERTED;
        }
        int at = 0;
        for (int i = 0; i < q.runs; i++) {
            if (end <= q.runStart[i]) break;
            if (offset >= q.runEnd[i]) { at = i + 1; continue; }
            if (offset >= q.runStart[i] && end <= q.runEnd[i]) return DUP;
            return OVERLAP;
        }
        q.addRun(at, offset, end);
        return INSERTED;
    }

    /** ip_frag_reasm: the first fragment's header, the data, a new length and no fragment bits. */
    private MemorySegment reassemble(Queue q) {
        int total = q.headerLen + q.len;
        if (total > 0xFFFF) return discard(q, "oversized reassembled datagram");
        MemorySegment pkt = out.asSlice(0, total);
        MemorySegment.copy(MemorySegment.ofArray(q.header), 0, pkt, 0, q.headerLen);
        MemorySegment.copy(MemorySegment.ofArray(q.data), 0, pkt, q.headerLen, q.len);
        Ipv4Header h = hdr.wrap(pkt);
        h.totalLen(total).fragWord(0).computeChecksum();
        mib.inc(IpMib.ReasmOKs);
        if (tr.on) tr.event("ip_frag_reasm", "id " + q.id + ": " + total + " bytes reassembled");
        kill(q);
        return pkt;
    }

    private MemorySegment discard(Queue q, String why) {
        if (tr.on) tr.event("ip_frag_queue", "id " + q.id + ": " + why + " → queue dropped");
        mib.inc(IpMib.ReasmFails);
        kill(q);
        return null;
    }

    /** inet_frag_kill: forget the queue, return its memory and recycle it. */
    private void kill(Queue q) {
        stack.scheduler().cancel(q.timer);
        mem -= q.truesize;
        active.remove(q);
        if (free.size() < 16) free.add(q);
    }
}
