package io.jnetstack.socket;

import io.jnetstack.uapi.ErrQueue;
import java.util.ArrayDeque;

/**
 * sk_error_queue: what a socket reports out of band, read with recvmsg(MSG_ERRQUEUE) — ICMP
 * errors (IP_RECVERR), local errors, MSG_ZEROCOPY completions and transmit timestamps, one
 * queue for all of them, in arrival order. The queue's own rules live here: queuing wakes the
 * socket's waiters with POLLERR, and an ICMP error at the head also stands in sk_err until it is
 * read. How an entry is handed to the reader (cmsg layout, msg_name) is the family's recv_error.
 *
 * <p>Storage is allocated on first use: most sockets never queue an error.
 */
public final class SockErrorQueue {
    private final Sock sk;
    private ArrayDeque<SockExtendedErr> q;

    SockErrorQueue(Sock sk) { this.sk = sk; }

    public boolean isEmpty() { return q == null || q.isEmpty(); }

    /** The newest entry, or null: zerocopy completions extend it rather than queue another. */
    public SockExtendedErr peekLast() { return q == null ? null : q.peekLast(); }

    /** Replaces the newest entry (skb_zerocopy_notify_extend grows it in place). */
    public void replaceLast(SockExtendedErr e) {
        q.pollLast();
        q.addLast(e);
    }

    /**
     * sock_queue_err_skb: appends {@code e} and reports it (sk_error_report: POLLERR to waiters and
     * epoll), unless the socket is already orphaned (SOCK_DEAD), where nobody could read it.
     */
    public void queue(SockExtendedErr e) {
        if (q == null) q = new ArrayDeque<>();
        q.addLast(e);
        if (sk.socket != null) sk.errorReport();
    }

    /**
     * sock_dequeue_err_skb: takes the oldest entry (null when empty). sk_err follows the queue: if
     * the next entry is an ICMP error it becomes sk_err; if the one taken was an ICMP error and no
     * other follows, sk_err clears. Entries left behind are reported again.
     */
    public SockExtendedErr dequeue() {
        if (isEmpty()) return null;
        SockExtendedErr e = q.pollFirst();
        SockExtendedErr next = q.peekFirst();
        boolean icmpNext = next != null && next.isIcmp();
        if (icmpNext) sk.err = next.errno();
        if (e.isIcmp() && !icmpNext) sk.err = 0;
        if (next != null) sk.errorReport();
        return e;
    }

    /** skb_queue_purge: the socket is closed. */
    public void purge() { if (q != null) q.clear(); }

    /**
     * skb_errqueue_purge: IP_RECVERR was turned off, so the errors it asked for go; zerocopy
     * completions and timestamps, which other options asked for, stay.
     */
    public void purgeErrors() {
        if (q != null) q.removeIf(e -> e.origin() != ErrQueue.SO_EE_ORIGIN_ZEROCOPY
                && e.origin() != ErrQueue.SO_EE_ORIGIN_TIMESTAMPING);
    }
}
