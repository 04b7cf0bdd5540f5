package io.jnetstack.link;

import java.util.Arrays;

/**
 * Packets in flight on one direction of a {@link Wire}, ordered by (due time, order of sending): a
 * binary min-heap, so packets due at the same instant come out in the order they went in (netem's
 * tfifo keeps the same order). Allocation-free once the array has grown.
 */
final class FlightHeap {
    private PacketBuffer[] heap = new PacketBuffer[64];
    private int size;
    private long seq;

    int size() { return size; }

    boolean isEmpty() { return size == 0; }

    /** Earliest due time, or Long.MAX_VALUE when empty. */
    long nextDue() { return size == 0 ? Long.MAX_VALUE : heap[0].due; }

    void add(PacketBuffer b, long due) {
        b.due = due;
        b.seq = seq++;
        if (size == heap.length) heap = Arrays.copyOf(heap, size * 2);
        siftUp(size++, b);
    }

    /** Removes and returns the earliest packet if it is due at {@code now}, else null. */
    PacketBuffer pollDue(long now) {
        if (size == 0 || heap[0].due > now) return null;
        PacketBuffer top = heap[0];
        PacketBuffer last = heap[--size];
        heap[size] = null;
        if (size > 0) siftDown(0, last);
        return top;
    }

    /** Removes everything, handing each packet to {@code sink} (device teardown). */
    void clear(java.util.function.Consumer<PacketBuffer> sink) {
        for (int i = 0; i < size; i++) {
            sink.accept(heap[i]);
            heap[i] = null;
        }
        size = 0;
    }

    private static boolean less(PacketBuffer a, PacketBuffer b) {
        return a.due < b.due || (a.due == b.due && a.seq < b.seq);
    }

    private void siftUp(int i, PacketBuffer b) {
        while (i > 0) {
            int p = (i - 1) >>> 1;
            if (!less(b, heap[p])) break;
            heap[i] = heap[p];
            i = p;
        }
        heap[i] = b;
    }

    private void siftDown(int i, PacketBuffer b) {
        for (;;) {
            int c = 2 * i + 1;
            if (c >= size) break;
            if (c + 1 < size && less(heap[c + 1], heap[c])) c++;
            if (!less(heap[c], b)) break;
            heap[i] = heap[c];
            i = c;
        }
        heap[i] = b;
    }
}
