package io.jnetstack.tcp;

import io.jnetstack.wire.SeqNum;
import java.util.Arrays;

/**
 * A set of disjoint sequence-number ranges [start, end), kept sorted and merged: the shape of the
 * out-of-order queue's map, the sender's SACK scoreboard and the retransmitted-ranges set. Two
 * parallel int arrays, so marking a range allocates nothing once the arrays have grown. Sequence
 * numbers compare modulo 2^32 (all ranges of one list lie within one window).
 */
final class IntervalList {
    private int[] start = new int[8], end = new int[8];
    private int n;
    /** Sum of range lengths, kept up to date. */
    private long bytes;

    int count() { return n; }

    long bytes() { return bytes; }

    boolean isEmpty() { return n == 0; }

    int start(int i) { return start[i]; }

    int end(int i) { return end[i]; }

    /** Highest end, or {@code dflt} when empty. */
    int highestEnd(int dflt) { return n == 0 ? dflt : end[n - 1]; }

    void clear() { n = 0; bytes = 0; }

    /** Index of the range containing {@code seq}, or -1. */
    int find(int seq) {
        for (int i = 0; i < n; i++) {
            if (SeqNum.lt(seq, start[i])) return -1;
            if (SeqNum.lt(seq, end[i])) return i;
        }
        return -1;
    }

    boolean contains(int seq) { return find(seq) >= 0; }

    /** True when [s, e) lies entirely inside one range. */
    boolean covers(int s, int e) {
        int i = find(s);
        return i >= 0 && SeqNum.le(e, end[i]);
    }

    /** Bytes of [s, e) that are in the set. */
    long overlap(int s, int e) {
        long sum = 0;
        for (int i = 0; i < n; i++) {
            int a = SeqNum.max(s, start[i]), b = SeqNum.min(e, end[i]);
            if (SeqNum.lt(a, b)) sum += b - a;
            if (SeqNum.ge(start[i], e)) break;
        }
        return sum;
    }

    /**
     * Adds [s, e), merging with neighbours. Returns the number of bytes that were not in the set
     * before (newly covered).
     */
    long add(int s, int e) {
        if (SeqNum.ge(s, e)) return 0;
        int i = 0;
        while (i < n && SeqNum.lt(end[i], s)) i++;                 // first range that may touch
        int j = i;
        int ns = s, ne = e;
        long old = 0;
        while (j < n && SeqNum.le(start[j], e)) {                 // ranges touching [s, e)
            int a = SeqNum.max(s, start[j]), b = SeqNum.min(e, end[j]);
            if (SeqNum.lt(a, b)) old += b - a;
            ns = SeqNum.min(ns, start[j]);
            ne = SeqNum.max(ne, end[j]);
            bytes -= end[j] - start[j];
            j++;
        }
        int removed = j - i;
        if (removed == 0) {
            grow();
            System.arraycopy(start, i, start, i + 1, n - i);
            System.arraycopy(end, i, end, i + 1, n - i);
            n++;
        } else if (removed > 1) {
            System.arraycopy(start, j, start, i + 1, n - j);
            System.arraycopy(end, j, end, i + 1, n - j);
            n -= removed - 1;
        }
        start[i] = ns;
        end[i] = ne;
        bytes += ne - ns;
        return (e - s) - old;
    }

    /** Removes [s, e) from the set. */
    void remove(int s, int e) {
        if (SeqNum.ge(s, e)) return;
        for (int i = 0; i < n; i++) {
            if (SeqNum.ge(start[i], e)) break;
            if (SeqNum.le(end[i], s)) continue;
            int a = start[i], b = end[i];
            if (SeqNum.lt(a, s) && SeqNum.gt(b, e)) {              // split in two
                grow();
                System.arraycopy(start, i + 1, start, i + 2, n - i - 1);
                System.arraycopy(end, i + 1, end, i + 2, n - i - 1);
                n++;
                end[i] = s;
                start[i + 1] = e;
                end[i + 1] = b;
                bytes -= e - s;
                return;
            }
            if (SeqNum.lt(a, s)) { bytes -= b - s; end[i] = s; continue; }
            if (SeqNum.gt(b, e)) { bytes -= e - a; start[i] = e; break; }
            bytes -= b - a;                                         // whole range goes
            System.arraycopy(start, i + 1, start, i, n - i - 1);
            System.arraycopy(end, i + 1, end, i, n - i - 1);
            n--;
            i--;
        }
    }

    /** Drops everything before {@code seq} (the cumulative ACK or rcv_nxt moved there). */
    void trimBelow(int seq) {
        int k = 0;
        while (k < n && SeqNum.le(end[k], seq)) { bytes -= end[k] - start[k]; k++; }
        if (k > 0) {
            System.arraycopy(start, k, start, 0, n - k);
            System.arraycopy(end, k, end, 0, n - k);
            n -= k;
        }
        if (n > 0 && SeqNum.lt(start[0], seq)) { bytes -= seq - start[0]; start[0] = seq; }
    }

    /** First byte at or after {@code from} that is NOT in the set. */
    int firstGapFrom(int from) {
        int i = find(from);
        return i < 0 ? from : end[i];
    }

    private void grow() {
        if (n == start.length) {
            start = Arrays.copyOf(start, n * 2);
            end = Arrays.copyOf(end, n * 2);
        }
    }

    @Override public String toString() {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < n; i++) sb.append(i == 0 ? "" : ",").append('[').append(Integer.toUnsignedString(start[i]))
                .append(',').append(Integer.toUnsignedString(end[i])).append(')');
        return sb.append('}').toString();
    }
}
