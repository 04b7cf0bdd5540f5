package io.jnetstack.time;

import java.util.Arrays;

/**
 * Pending timers ordered by (deadline, arming order): an indexed binary min-heap, so arm, re-arm and
 * cancel are O(log n) and allocation-free once the array has grown.
 */
public final class TimerHeap {
    private Timer[] heap = new Timer[64];
    private int size;
    private long seq;

    public int size() { return size; }

    public boolean isEmpty() { return size == 0; }

    /** Earliest deadline, or Long.MAX_VALUE when empty (smoltcp's poll_at). */
    public long nextDeadline() { return size == 0 ? Long.MAX_VALUE : heap[0].deadline; }

    public void arm(Timer t, long deadline) {
        if (t.heapIndex >= 0) remove(t);
        t.deadline = deadline;
        t.seq = seq++;
        if (size == heap.length) heap = Arrays.copyOf(heap, size * 2);
        heap[size] = t;
        t.heapIndex = size;
        siftUp(size++);
    }

    public void cancel(Timer t) {
        if (t.heapIndex >= 0) remove(t);
    }

    /** Removes and returns the earliest timer if it is due at {@code now}, else null. */
    public Timer pollDue(long now) {
        if (size == 0 || heap[0].deadline > now) return null;
        Timer t = heap[0];
        remove(t);
        return t;
    }

    private void remove(Timer t) {
        int i = t.heapIndex;
        t.heapIndex = -1;
        Timer last = heap[--size];
        heap[size] = null;
        if (i == size) return;
        heap[i] = last;
        last.heapIndex = i;
        siftDown(i);
        siftUp(last.heapIndex);
    }

    private static boolean less(Timer a, Timer b) {
        return a.deadline < b.deadline || (a.deadline == b.deadline && a.seq < b.seq);
    }

    private void siftUp(int i) {
        Timer t = heap[i];
        while (i > 0) {
            int p = (i - 1) >>> 1;
            if (!less(t, heap[p])) break;
            heap[i] = heap[p];
            heap[i].heapIndex = i;
            i = p;
        }
        heap[i] = t;
        t.heapIndex = i;
    }

    private void siftDown(int i) {
        Timer t = heap[i];
        for (;;) {
            int c = 2 * i + 1;
            if (c >= size) break;
            if (c + 1 < size && less(heap[c + 1], heap[c])) c++;
            if (!less(heap[c], t)) break;
            heap[i] = heap[c];
            heap[i].heapIndex = i;
            i = c;
        }
        heap[i] = t;
        t.heapIndex = i;
    }
}
