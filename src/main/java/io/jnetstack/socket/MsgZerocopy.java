package io.jnetstack.socket;

import io.jnetstack.uapi.ErrQueue;

/**
 * MSG_ZEROCOPY completions (net/core/skbuff.c, msg_zerocopy_*): every send with MSG_ZEROCOPY on a
 * socket with SO_ZEROCOPY takes the next notification id (sk_zckey), and once the kernel no longer
 * needs the caller's pages it queues the range of ids it is done with on the error queue. A
 * completion that continues the range at the queue's tail extends it instead of queuing another,
 * so a reader that falls behind finds one entry covering many sends.
 *
 * <p>jnetstack copies all data at the socket boundary, so every completion says
 * SO_EE_CODE_ZEROCOPY_COPIED — what Linux says too when its device copied the pages (tun,
 * loopback, any device without scatter-gather).
 */
public final class MsgZerocopy {
    private MsgZerocopy() {}

    /** The most ids one entry may cover: skb_zerocopy_notify_extend keeps the range below 2^32. */
    private static final long MAX_RANGE = 1L << 32;

    /**
     * __msg_zerocopy_callback: ids {@code lo} .. {@code lo + len - 1} are complete. Nothing is
     * queued for an empty range (an aborted send) or an orphaned socket (SOCK_DEAD). The waiters
     * are told (sk_error_report) even when the range only extended the tail entry.
     */
    public static void complete(Sock sk, int lo, int len, boolean copied) {
        if (len == 0 || sk.socket == null) return;
        int hi = lo + len - 1;
        SockErrorQueue q = sk.errQueue;
        SockExtendedErr tail = q.peekLast();
        if (tail != null && tail.origin() == ErrQueue.SO_EE_ORIGIN_ZEROCOPY && lo == tail.data() + 1
                && Integer.toUnsignedLong(tail.data() - tail.info()) + 1 + len < MAX_RANGE) {
            q.replaceLast(tail.extendData(hi));
            sk.errorReport();
            return;
        }
        q.queue(SockExtendedErr.zerocopy(lo, hi, copied));
    }
}
