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

    int size() { return size; }

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
        return n;
    }

    void clear() { head = size = 0; }

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
