package io.jnetstack.tcp;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The send queue (sk_write_queue + the retransmit queue, as bytes): everything the user wrote
 * that the peer has not acknowledged, in one growable ring. The first byte is at sequence
 * {@code headSeq} (snd_una once the SYN is acked); sending and retransmitting copy straight from
 * here into the packet being built, so nothing is allocated per segment.
 */
final class TcpSendBuffer {
    private byte[] ring = new byte[0];
    private int head, size;
    /** Sequence number of the first byte held. */
    int headSeq;

    /**
     * Record boundaries (MSG_EOR, tcp_skb_can_collapse_to): no segment crosses one, and later
     * writes never join the data before it. Kept as a ring of end sequences, oldest first, each
     * with whether the write that ended there was pushed (its skb carries PSH).
     */
    private int[] eorSeq = new int[4];
    private boolean[] eorPsh = new boolean[4];
    private int eorHead, eorCount;

    int size() { return size; }

    /** MSG_EOR: the data queued so far ends a record; {@code psh}: that record's last skb carries PSH. */
    void markEor(boolean psh) {
        int end = endSeq();
        if (eorCount > 0 && eorSeq[(eorHead + eorCount - 1) % eorSeq.length] == end) {
            eorPsh[(eorHead + eorCount - 1) % eorSeq.length] |= psh;
            return;
        }
        if (eorCount == eorSeq.length) {
            int[] ns = new int[eorCount * 2];
            boolean[] np = new boolean[eorCount * 2];
            for (int i = 0; i < eorCount; i++) {
                ns[i] = eorSeq[(eorHead + i) % eorSeq.length];
                np[i] = eorPsh[(eorHead + i) % eorSeq.length];
            }
            eorSeq = ns;
            eorPsh = np;
            eorHead = 0;
        }
        eorSeq[(eorHead + eorCount) % eorSeq.length] = end;
        eorPsh[(eorHead + eorCount) % eorSeq.length] = psh;
        eorCount++;
    }

    /** The first record boundary after {@code seq}, or the end of the queue. */
    int segmentLimit(int seq) {
        for (int i = 0; i < eorCount; i++) {
            int b = eorSeq[(eorHead + i) % eorSeq.length];
            if (b - seq > 0) return b;
        }
        return endSeq();
    }

    /** Whether {@code seq} is a record boundary whose write was pushed (PSH on the segment ending there). */
    boolean eorPushedAt(int seq) {
        for (int i = 0; i < eorCount; i++) {
            int at = (eorHead + i) % eorSeq.length;
            if (eorSeq[at] == seq) return eorPsh[at];
        }
        return false;
    }

    /** Whether the last byte queued ends a record (a new write must not join it). */
    boolean tailIsEor() { return eorCount > 0 && eorSeq[(eorHead + eorCount - 1) % eorSeq.length] == endSeq(); }

    /** tp->write_seq: the sequence number after the last byte queued. */
    int endSeq() { return headSeq + size; }

    /** Copies up to {@code len} bytes in, growing the ring to at most {@code limit} bytes held. */
    int append(byte[] src, int off, int len, int limit) {
        int room = limit - size;
        if (room <= 0) return 0;
        int n = Math.min(len, room);
        ensure(size + n);
        int tail = (head + size) % ring.length;
        int first = Math.min(n, ring.length - tail);
        System.arraycopy(src, off, ring, tail, first);
        System.arraycopy(src, off + first, ring, 0, n - first);
        size += n;
        return n;
    }

    /** Copies {@code len} bytes starting at sequence {@code seq} into {@code dst}. */
    void copyOut(int seq, MemorySegment dst, long dstOff, int len) {
        int from = (head + (seq - headSeq)) % ring.length;
        int first = Math.min(len, ring.length - from);
        MemorySegment.copy(ring, from, dst, ValueLayout.JAVA_BYTE, dstOff, first);
        if (len > first) MemorySegment.copy(ring, 0, dst, ValueLayout.JAVA_BYTE, dstOff + first, len - first);
    }

    /** The peer acknowledged everything before {@code seq}: frees it. Returns bytes freed. */
    int ackTo(int seq) {
        int n = seq - headSeq;
        if (n <= 0) return 0;
        n = Math.min(n, size);
        size -= n;
        head = size == 0 ? 0 : (head + n) % ring.length;
        headSeq += n;
        while (eorCount > 0 && eorSeq[eorHead] - headSeq <= 0) {
            eorHead = (eorHead + 1) % eorSeq.length;
            eorCount--;
        }
        return n;
    }

    void clear() { head = size = eorCount = eorHead = 0; }

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
