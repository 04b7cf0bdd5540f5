package io.jnetstack.tcp;

import java.util.ArrayDeque;

/**
 * struct fastopen_queue: a listener's Fast Open state. {@code maxQlen} (TCP_FASTOPEN, or the
 * listen backlog with TFO_SERVER_WO_SOCKOPT1) bounds how many children created from SYN data
 * may be waiting for their handshake to complete; 0 means the listener does not do Fast Open.
 * RFC 7413 §5.1 asks for such a bound so a flood of SYNs with valid cookies cannot exhaust the
 * server. A child the peer reset after it was accepted keeps counting for 60 seconds (Linux's
 * defence against spoofed SYN-data followed by RSTs). {@code keys}: this listener's own cookie
 * keys (TCP_FASTOPEN_KEY), used instead of the stack's when set.
 */
final class FastOpenQueue {
    /** How long a reset child keeps its place (reqsk_fastopen_remove's 60 s). */
    static final long RST_HOLD_NS = 60_000_000_000L;

    int maxQlen;
    /** Children in SYN_RECV plus reset ones still held. */
    int qlen;
    FastOpenKeys keys;
    /** When each held reset child stops counting, oldest first (rskq_rst_head). */
    private final ArrayDeque<Long> rstExpiry = new ArrayDeque<>();

    /** reqsk_fastopen_remove's tail: a reset child holds its place until {@code now + 60 s}. */
    void holdReset(long now) {
        rstExpiry.add(now + RST_HOLD_NS);
    }

    /**
     * tcp_fastopen_queue_check: may one more Fast Open child be created? At the limit, the oldest
     * held reset child gives up its place if its time is over.
     */
    boolean admit(long now) {
        if (maxQlen == 0) return false;
        if (qlen < maxQlen) return true;
        Long first = rstExpiry.peek();
        if (first == null || first > now) return false;
        rstExpiry.poll();
        qlen--;
        return true;
    }

    /** inet_csk_listen_start: a new listen starts with an empty queue (the limit and key stay). */
    void reset() {
        qlen = 0;
        rstExpiry.clear();
    }
}
