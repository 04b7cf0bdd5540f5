package io.jnetstack.tcp;

import io.jnetstack.stack.Rings;
import io.jnetstack.wire.SeqNum;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The send queue (sk_write_queue + the retransmit queue): everything the user wrote that the peer
 * has not acknowledged. The bytes live in one growable ring, so sending and retransmitting copy
 * straight from here into the packet being built; the sk_buffs Linux would hold them in are kept
 * as boundaries over that ring, because the skbs are what Linux's memory accounting and PSH flags
 * are made of:
 *
 * <ul>
 * <li>sk_wmem_queued counts every skb's truesize, its payload (paged: exactly the bytes) plus the
 *     skb itself, {@link #SKB_TRUESIZE_EMPTY}. A write opens a new skb only when the tail one is
 *     full (size_goal), already sent, or ends a record; splitting an skb to send part of it
 *     (tso_fragment) makes one more, merging (tcp_grow_skb) one fewer, and a partial ACK trims
 *     the first one (tcp_trim_head). So {@code wmemQueued = bytes + SKB_TRUESIZE_EMPTY × skbs}.</li>
 * <li>PSH is a property of the skb (tcp_mark_push); splitting leaves it on the second part, as
 *     tcp_fragment does, and MSG_EOR marks an skb no later write may join (tcp_skb_can_collapse_to).</li>
 * </ul>
 *
 * <p>The skb list is a ring of end sequences and flags, oldest first; skb {@code i} spans from the
 * end of skb {@code i-1} (or {@code headSeq}) to {@code end(i)}. Nothing is allocated per segment.
 */
final class TcpSendBuffer {
    /**
     * SKB_TRUESIZE of a TCP skb with no payload on Linux 6.18 x86-64: the sk_buff (256 bytes),
     * the head (MAX_TCP_HEADER from the small-head cache, 256 usable) and skb_shared_info (320).
     * Measured: each MSG_EOR write adds exactly 832 + its length to SO_MEMINFO's wmem_queued.
     */
    static final int SKB_TRUESIZE_EMPTY = 832;
    /**
     * Per-skb flags: TCPHDR_PSH (tcp_mark_push), the eor bit (MSG_EOR), and zerocopy (the skb
     * holds a MSG_ZEROCOPY send's pages, skb_zcopy: skb_shift refuses to move data into or out
     * of it, so tcp_grow_skb never sends its end and the next skb's start as one packet).
     */
    static final int F_PSH = 1, F_EOR = 2, F_ZC = 4;

    private byte[] ring = new byte[0];
    private int head, size;
    /** Sequence number of the first byte held. */
    int headSeq;

    private int[] skbEnd = new int[16];
    private byte[] skbFlags = new byte[16];
    private int skbHead, skbCount;

    int size() { return size; }

    /** tp->write_seq: the sequence number after the last byte queued. */
    int endSeq() { return headSeq + size; }

    /** The number of skbs holding the queue (an empty one just entailed included). */
    int skbCount() { return skbCount; }

    /** sk_wmem_queued: the truesize of every skb in the write and retransmit queues. */
    int wmemQueued() { return size + SKB_TRUESIZE_EMPTY * skbCount; }

    // ------------------------------------------------------------------ skbs

    private int slot(int i) { return (skbHead + i) & (skbEnd.length - 1); }

    private int start(int i) { return i == 0 ? headSeq : skbEnd[slot(i - 1)]; }

    /** The index of the skb holding {@code seq} (binary search: ends rise with sequence), or -1. */
    private int indexOf(int seq) {
        int off = seq - headSeq;
        if (off < 0 || off >= size) return -1;
        int lo = 0, hi = skbCount - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (skbEnd[slot(mid)] - headSeq > off) hi = mid;
            else lo = mid + 1;
        }
        return lo;
    }

    /** The end of the skb holding {@code seq} (endSeq() past the data). */
    int skbEndOf(int seq) {
        int i = indexOf(seq);
        return i < 0 ? endSeq() : skbEnd[slot(i)];
    }

    /** Whether an skb ends exactly at {@code seq} and carries PSH. */
    boolean pushedAt(int seq) {
        int i = indexOf(seq - 1);
        return i >= 0 && skbEnd[slot(i)] == seq && (skbFlags[slot(i)] & F_PSH) != 0;
    }

    /** Whether {@code seq} begins an skb (the queue's start counts). */
    boolean skbStartsAt(int seq) {
        int i = indexOf(seq);
        return i >= 0 && start(i) == seq;
    }

    /**
     * The room a write has in the tail skb (tcp_sendmsg_locked's copy = size_goal - skb->len):
     * none if there is no tail skb, if it has been sent (it left the write queue), or if it ends
     * a record.
     */
    int tailRoom(int sizeGoal, int sndNxt) {
        if (skbCount == 0) return 0;
        int t = slot(skbCount - 1);
        int st = start(skbCount - 1);
        if ((skbFlags[t] & F_EOR) != 0 || SeqNum.lt(st, sndNxt)) return 0;
        return sizeGoal - (skbEnd[t] - st);
    }

    /** tcp_skb_entail: a new, empty skb at the tail. */
    void entail() {
        if (skbCount == skbEnd.length) growSkbs();
        int t = slot(skbCount++);
        skbEnd[t] = endSeq();
        skbFlags[t] = 0;
    }

    /** tcp_mark_push on the tail skb. */
    void markPush() { if (skbCount > 0) skbFlags[slot(skbCount - 1)] |= F_PSH; }

    /** The first bytes of a new write join the tail skb: the push mark of the earlier write no longer ends it. */
    void clearTailPush() { if (skbCount > 0) skbFlags[slot(skbCount - 1)] &= ~F_PSH; }

    /** MSG_EOR (tcp_eor_skb): the tail skb ends a record; later data starts a new skb. */
    void markEor() { if (skbCount > 0) skbFlags[slot(skbCount - 1)] |= F_EOR; }

    /** The tail skb holds zerocopy pages (skb_zcopy_set). */
    void markZerocopy() { if (skbCount > 0) skbFlags[slot(skbCount - 1)] |= F_ZC; }

    /** Whether the last byte queued ends a record. */
    boolean tailIsEor() { return skbCount > 0 && (skbFlags[slot(skbCount - 1)] & F_EOR) != 0; }

    /**
     * The first boundary no packet may cross after {@code seq}: the end of an eor skb or of a
     * zerocopy one; else the end of the queue.
     */
    int segmentLimit(int seq) {
        for (int i = Math.max(indexOf(seq), 0); i < skbCount; i++) {
            int s = slot(i);
            if ((skbFlags[s] & (F_EOR | F_ZC)) != 0 && skbEnd[s] - seq > 0) return skbEnd[s];
        }
        return endSeq();
    }

    /**
     * tcp_fragment / tso_fragment: {@code seq} becomes an skb boundary. The second part keeps the
     * flags (PSH and the record end belong to the last byte); the first loses them.
     */
    void fragment(int seq) {
        int i = indexOf(seq);
        if (i < 0 || start(i) == seq) return;
        if (skbCount == skbEnd.length) growSkbs();
        for (int k = skbCount; k > i; k--) {
            skbEnd[slot(k)] = skbEnd[slot(k - 1)];
            skbFlags[slot(k)] = skbFlags[slot(k - 1)];
        }
        skbCount++;
        skbEnd[slot(i)] = seq;
        skbFlags[slot(i)] = (byte) (skbFlags[slot(i + 1)] & F_ZC);   // both parts keep the pages' ubuf
    }

    /**
     * tcp_grow_skb / tcp_eat_one_skb: the skbs wholly inside [{@code from}, {@code to}) become one
     * (their flags OR-ed together), as when one TSO packet was sent across them. {@code from}
     * and {@code to} must already be boundaries.
     */
    void collapse(int from, int to) {
        int i = indexOf(from);
        if (i < 0) return;
        int j = i;
        int flags = 0;
        while (j < skbCount && SeqNum.lt(skbEnd[slot(j)], to)) flags |= skbFlags[slot(j++)];
        if (j == i || j == skbCount) return;
        skbFlags[slot(j)] |= (byte) (flags & F_PSH);
        int gone = j - i;
        for (int k = i; k + gone < skbCount; k++) {
            skbEnd[slot(k)] = skbEnd[slot(k + gone)];
            skbFlags[slot(k)] = skbFlags[slot(k + gone)];
        }
        skbCount -= gone;
    }

    private void growSkbs() {
        int cap = skbEnd.length * 2;
        skbEnd = Rings.unroll(skbEnd, skbHead, skbCount, cap);
        skbFlags = Rings.unroll(skbFlags, skbHead, skbCount, cap);
        skbHead = 0;
    }

    // ------------------------------------------------------------------ bytes

    /** Copies {@code len} bytes in at the end of the tail skb (there must be one: {@link #entail}). */
    void append(byte[] src, int off, int len) {
        ensure(size + len);
        int tail = (head + size) % ring.length;
        int first = Math.min(len, ring.length - tail);
        System.arraycopy(src, off, ring, tail, first);
        System.arraycopy(src, off + first, ring, 0, len - first);
        size += len;
        skbEnd[slot(skbCount - 1)] = endSeq();
    }

    /** Copies {@code len} bytes starting at sequence {@code seq} into {@code dst}. */
    void copyOut(int seq, MemorySegment dst, long dstOff, int len) {
        int from = (head + (seq - headSeq)) % ring.length;
        int first = Math.min(len, ring.length - from);
        MemorySegment.copy(ring, from, dst, ValueLayout.JAVA_BYTE, dstOff, first);
        if (len > first) MemorySegment.copy(ring, 0, dst, ValueLayout.JAVA_BYTE, dstOff + first, len - first);
    }

    /**
     * The peer acknowledged everything before {@code seq} (tcp_clean_rtx_queue): skbs wholly
     * acknowledged are freed, a partly acknowledged first one is trimmed (tcp_trim_head gives back
     * the bytes' truesize). Returns bytes freed.
     */
    int ackTo(int seq) {
        int n = seq - headSeq;
        if (n <= 0) return 0;
        n = Math.min(n, size);
        size -= n;
        head = size == 0 ? 0 : (head + n) % ring.length;
        headSeq += n;
        while (skbCount > 0 && skbEnd[skbHead] - headSeq <= 0) {
            skbHead = (skbHead + 1) & (skbEnd.length - 1);
            skbCount--;
        }
        return n;
    }

    void clear() { head = size = skbCount = skbHead = 0; }

    /** Drops the storage when empty (an idle or closed connection keeps no buffer). */
    void trim() { if (size == 0) { ring = new byte[0]; head = 0; } }

    private void ensure(int need) {
        if (need <= ring.length) return;
        int cap = Math.max(need, Math.max(4096, ring.length * 2));
        byte[] r = new byte[cap];
        int first = Math.min(size, ring.length - head);
        if (size > 0) {
            System.arraycopy(ring, head, r, 0, first);
            System.arraycopy(ring, 0, r, first, size - first);
        }
        ring = r;
        head = 0;
    }
}
