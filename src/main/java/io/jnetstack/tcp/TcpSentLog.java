package io.jnetstack.tcp;

import io.jnetstack.stack.Rings;
import io.jnetstack.wire.SeqNum;

/**
 * The segments in flight as they left, in sequence order: for each its range, when it was last
 * sent, its place in the order of transmissions, and whether it was ever retransmitted. Linux
 * keeps this on the skbs of the retransmission queue (skb_mstamp_ns, the tsorted list,
 * TCPCB_EVER_RETRANS); RACK (RFC 8985 §6) needs the times and the order to tell deliveries from
 * losses, and the SACK scoreboard needs the boundaries, since a SACK block marks only whole
 * segments (tcp_match_skb_to_sack).
 *
 * <p>A retransmission that covers part of a logged segment splits it there first (tcp_fragment
 * on the retransmission queue), so the log always holds what was last sent. A ring of parallel
 * arrays, grown by doubling and then reused: sending and acknowledging allocate nothing in steady
 * state.
 */
final class TcpSentLog {
    /** Room for a handshake and a little data: an idle connection keeps 150 bytes here, not 2 KB. */
    private static final int INITIAL = 4;
    private int[] start = new int[INITIAL], end = new int[INITIAL];
    private long[] sentNs = new long[INITIAL], order = new long[INITIAL];
    private boolean[] everRetrans = new boolean[INITIAL];
    private int head, n;
    /** The next transmission's number: every send and resend takes one, so later means larger. */
    private long nextOrder = 1;

    int count() { return n; }

    int start(int i) { return start[slot(i)]; }

    int end(int i) { return end[slot(i)]; }

    long sentNs(int i) { return sentNs[slot(i)]; }

    /** The transmission number of the segment's latest copy (RACK's "sent after" order). */
    long order(int i) { return order[slot(i)]; }

    boolean everRetrans(int i) { return everRetrans[slot(i)]; }

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
        everRetrans[k] = false;
    }

    /** [s, e) was sent again at {@code now}: the segments it covers take the new time and order. */
    void onRetransmit(int s, int e, long now) {
        splitAt(s);
        splitAt(e);
        long o = nextOrder++;
        for (int i = indexOf(s); i >= 0 && i < n && SeqNum.lt(start(i), e); i++) {
            int k = slot(i);
            sentNs[k] = now;
            order[k] = o;
            everRetrans[k] = true;
        }
    }

    /**
     * A retransmission of [s, e) failed before the wire: the segments keep their time and order
     * but are marked retransmitted all the same (Linux sets TCPCB_EVER_RETRANS either way, so an
     * RTT sample never times a transmission that did not happen).
     */
    void onRetransmitFailed(int s, int e) {
        splitAt(s);
        splitAt(e);
        for (int i = indexOf(s); i >= 0 && i < n && SeqNum.lt(start(i), e); i++) everRetrans[slot(i)] = true;
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
        int lo = 0, hi = n - 1, ans = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (SeqNum.gt(end(mid), seq)) { ans = mid; hi = mid - 1; } else lo = mid + 1;
        }
        return ans;
    }

    /** Makes {@code seq} a segment boundary when it falls inside one (both halves keep its history). */
    private void splitAt(int seq) {
        int i = indexOf(seq);
        if (i < 0 || !SeqNum.lt(start(i), seq)) return;
        if (n == start.length) grow();
        for (int j = n; j > i + 1; j--) copy(slot(j - 1), slot(j));
        n++;
        int a = slot(i), b = slot(i + 1);
        copy(a, b);
        end[a] = seq;
        start[b] = seq;
    }

    private void copy(int from, int to) {
        start[to] = start[from];
        end[to] = end[from];
        sentNs[to] = sentNs[from];
        order[to] = order[from];
        everRetrans[to] = everRetrans[from];
    }

    private void grow() {
        int cap = start.length * 2;
        start = Rings.unroll(start, head, n, cap);
        end = Rings.unroll(end, head, n, cap);
        sentNs = Rings.unroll(sentNs, head, n, cap);
        order = Rings.unroll(order, head, n, cap);
        everRetrans = Rings.unroll(everRetrans, head, n, cap);
        head = 0;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            if (i > 0) b.append(' ');
            b.append(Integer.toUnsignedString(start(i))).append(':').append(Integer.toUnsignedString(end(i)));
            if (everRetrans(i)) b.append('R');
        }
        return b.append(']').toString();
    }
}
