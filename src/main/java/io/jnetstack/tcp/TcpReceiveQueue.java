package io.jnetstack.tcp;

import io.jnetstack.wire.SeqNum;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * sk_receive_queue and the out-of-order queue (out_of_order_queue) in one ring. The readable bytes
 * sit at the ring's head; the receive window follows them, and an out-of-order segment is written
 * straight to its final place in the window, its range noted in {@link #ooo}. When the hole before
 * it fills, rcv_nxt jumps over the whole range and nothing is copied again.
 *
 * <p>{@code rcvNxtSeq} mirrors tp->rcv_nxt: the sequence number of the byte after the readable ones.
 */
final class TcpReceiveQueue {
    private byte[] ring = new byte[0];
    private int head, readable;
    int rcvNxtSeq;
    /** Out-of-order data held beyond rcv_nxt, as sequence ranges. */
    final IntervalList ooo = new IntervalList();

    int readable() { return readable; }

    /** Bytes held: readable plus out-of-order (what the receive buffer is charged). */
    long held() { return readable + ooo.bytes(); }

    void reset(int rcvNxt) {
        rcvNxtSeq = rcvNxt;
        head = readable = 0;
        ooo.clear();
    }

    /**
     * Stores segment data [seq, seq+len) (already trimmed to start at or after rcv_nxt) and
     * returns how far rcv_nxt advanced (0 when the data went to the out-of-order queue).
     */
    int put(int seq, MemorySegment src, long off, int len) {
        int rel = seq - rcvNxtSeq;                       // >= 0
        ensure(readable + rel + len);
        int pos = (head + readable + rel) % ring.length;
        int first = Math.min(len, ring.length - pos);
        MemorySegment.copy(src, ValueLayout.JAVA_BYTE, off, ring, pos, first);
        if (len > first) MemorySegment.copy(src, ValueLayout.JAVA_BYTE, off + first, ring, 0, len - first);
        if (rel > 0) {
            ooo.add(seq, seq + len);
            return 0;
        }
        int newNxt = seq + len;
        // Swallow any out-of-order ranges now contiguous.
        if (!ooo.isEmpty() && SeqNum.ge(newNxt, ooo.start(0))) newNxt = SeqNum.max(newNxt, ooo.end(0));
        ooo.trimBelow(newNxt);
        int adv = newNxt - rcvNxtSeq;
        readable += adv;
        rcvNxtSeq = newNxt;
        return adv;
    }

    /** Copies up to {@code len} readable bytes, skipping {@code skip} first; consumes them unless peeking. */
    int read(byte[] dst, int off, int len, int skip, boolean peek) {
        int n = Math.min(len, readable - skip);
        if (n <= 0) return 0;
        if (dst != null) {
            int from = (head + skip) % ring.length;
            int first = Math.min(n, ring.length - from);
            System.arraycopy(ring, from, dst, off, first);
            System.arraycopy(ring, 0, dst, off + first, n - first);
        }
        if (!peek) consume(n);
        return n;
    }

    void consume(int n) {
        readable -= n;
        head = (head + n) % ring.length;
        if (readable == 0 && ooo.isEmpty()) head = 0;
    }

    void clear() { reset(rcvNxtSeq); }

    private void ensure(int need) {
        if (need <= ring.length) return;
        int cap = Math.max(need, Math.max(8192, ring.length * 2));
        byte[] r = new byte[cap];
        if (ring.length > 0) {
            // Keep everything from head to the end of the old ring's window, in order.
            int keep = ring.length;
            int first = Math.min(keep, ring.length - head);
            System.arraycopy(ring, head, r, 0, first);
            System.arraycopy(ring, 0, r, first, keep - first);
        }
        ring = r;
        head = 0;
    }
}
