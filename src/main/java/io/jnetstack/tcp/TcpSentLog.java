package io.jnetstack.tcp;

import io.jnetstack.wire.SeqNum;
import java.util.Arrays;

/**
 * The segments in flight as they left: for each, its sequence range, when it was last sent and
 * whether it was ever retransmitted. Linux keeps this per skb in the retransmission queue
 * (skb_mstamp_ns and TCPCB_EVER_RETRANS on each skb of tcp_rtx_queue); RACK (RFC 8985 §6) needs
 * the send times to order deliveries and losses, and the SACK scoreboard needs the segment
 * boundaries, since a SACK block covering only part of a segment marks nothing (Linux's
 * tcp_match_skb_to_sack splits skbs only at whole segments).
 *
 * <p>A ring of parallel arrays in sequence order, grown by doubling and then reused, so sending
 * and acknowledging allocate nothing in steady state.
 */
final class TcpSentLog {
    private int[] start = new int[64], end = new int[64];
    private long[] sentNs = new long[64];
    private long[] order = new long[64];
    private long nextOrder = 1;
    private boolean[] retrans = new boolean[64];
    private int head, n;

    int count() { return n; }

    int start(int i) { return start[slot(i)]; }

    int end(int i) { return end[slot(i)]; }

    long sentNs(int i) { return sentNs[slot(i)]; }

    long order(int i) { return order[slot(i)]; }

    boolean retrans(int i) { return retrans[slot(i)]; }

    private int slot(int i) { return (head + i) & (start.length - 1); }

    void clear() { head = 0; n = 0; }

    /** A new segment [s, e) left at {@code now}; new data always extends the top. */
    void onSend(int s, int e, long now) {
        if (n > 0 && SeqNum.gt(end(n - 1), s)) return;       // not new: leave the log alone
        if (n == start.length) grow();
        int k = slot(n++);
        start[k] = s;
        end[k] = e;
        sentNs[k] = now;
        order[k] = nextOrder++;
        retrans[k] = false;
    }

    /** [s, e) was sent again at {@code now}: every logged segment starting inside it is restamped. */
    void onRetransmit(int s, int e, long now) {
        for (int i = indexOf(s); i >= 0 && i < n && SeqNum.lt(start(i), e); i++) {
            int k = slot(i);
            sentNs[k] = now;
            order[k] = nextOrder++;
            retrans[k] = true;
        }
    }

    /** Drops the segments wholly below {@code una} (tcp_clean_rtx_queue). */
    void trimBelow(int una) {
        while (n > 0 && SeqNum.le(end[head], una)) {
            head = (head + 1) & (start.length - 1);
            n--;
        }
    }

    /** Index of the first segment ending after {@code seq}, or -1 when there is none. */
    int indexOf(int seq) {
        // Binary search: segments are disjoint and ascending.
        int lo = 0, hi = n - 1, ans = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (SeqNum.gt(end(mid), seq)) { ans = mid; hi = mid - 1; } else lo = mid + 1;
        }
        return ans;
    }

    private void grow() {
        int cap = start.length * 2;
        int[] s2 = new int[cap], e2 = new int[cap];
        long[] t2 = new long[cap], o2 = new long[cap];
        boolean[] r2 = new boolean[cap];
        for (int i = 0; i < n; i++) {
            int k = slot(i);
            s2[i] = start[k];
            e2[i] = end[k];
            t2[i] = sentNs[k];
            o2[i] = order[k];
            r2[i] = retrans[k];
        }
        start = s2;
        end = e2;
        sentNs = t2;
        order = o2;
        retrans = r2;
        head = 0;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            if (i > 0) b.append(' ');
            b.append(Integer.toUnsignedString(start(i))).append(':').append(Integer.toUnsignedString(end(i)));
            if (retrans(i)) b.append('R');
        }
        return b.append(']').toString();
    }
}
